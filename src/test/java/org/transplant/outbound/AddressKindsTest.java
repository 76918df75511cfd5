package org.transplant.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.transplant.outbound.AddressKinds.Kind;

/** Which addresses count as the public internet, IPv4, IPv6 and the IPv6 forms that wrap an IPv4 address. */
class AddressKindsTest {

    @Test
    void loopbackPrivateAndMetadataAreNotPublic() throws Exception {
        assertThat(kind("127.0.0.1")).isEqualTo(Kind.LOOPBACK);
        assertThat(kind("127.0.0.2")).isEqualTo(Kind.LOOPBACK);
        assertThat(kind("::1")).isEqualTo(Kind.LOOPBACK);
        assertThat(kind("169.254.169.254")).isEqualTo(Kind.METADATA);
        assertThat(kind("fd00:ec2::254")).isEqualTo(Kind.METADATA);
        for (String address : new String[] {
            "0.0.0.0",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "255.255.255.255",
            "198.18.0.1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "fec0::1"
        }) {
            assertThat(kind(address)).as(address).isEqualTo(Kind.PRIVATE);
        }
    }

    @Test
    void ipv6FormsOfIpv4AddressesAreJudgedByTheirIpv4Address() throws Exception {
        assertThat(kind("::ffff:127.0.0.1")).isEqualTo(Kind.LOOPBACK);
        assertThat(kind("::ffff:169.254.169.254")).isEqualTo(Kind.METADATA);
        assertThat(kind("::ffff:10.0.0.1")).isEqualTo(Kind.PRIVATE);
        assertThat(kind("::10.0.0.1")).isEqualTo(Kind.PRIVATE);
        assertThat(kind("64:ff9b::a9fe:a9fe")).isEqualTo(Kind.METADATA);
        assertThat(kind("64:ff9b::c0a8:101")).isEqualTo(Kind.PRIVATE);
        assertThat(kind("2002:7f00:1::1")).isEqualTo(Kind.LOOPBACK);
        assertThat(kind("::ffff:93.184.216.34")).isEqualTo(Kind.PUBLIC);
    }

    @Test
    void publicAddressesArePublic() throws Exception {
        for (String address : new String[] {
            "93.184.216.34",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:81b::200e"
        }) {
            assertThat(kind(address)).as(address).isEqualTo(Kind.PUBLIC);
        }
    }

    private static Kind kind(String literal) throws Exception {
        return AddressKinds.of(InetAddress.getByName(literal));
    }
}
