package org.transplant.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which addresses are the public internet. Everything else (this machine, private networks, link-local, the cloud
 * metadata service, carrier-grade NAT, reserved ranges) is where a pod must not be sent by a name someone else
 * chose. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address.
 */
public final class AddressKinds {

    /** What an address is, when it is not public. */
    public enum Kind {
        PUBLIC,
        LOOPBACK,
        PRIVATE,
        METADATA
    }

    private AddressKinds() {}

    public static Kind of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] embedded = embeddedIpv4(v6.getAddress());
            if (embedded != null) {
                return of(ipv4(embedded));
            }
            return ofIpv6(v6);
        }
        return ofIpv4(address.getAddress());
    }

    private static Kind ofIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 169 && second == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) {
            return Kind.METADATA;
        }
        if (first == 127) {
            return Kind.LOOPBACK;
        }
        boolean notPublic = first == 0 // "this network", 0.0.0.0 reaches this machine
                || first == 10
                || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT, RFC 6598
                || first == 169 && second == 254 // link-local
                || first == 172 && second >= 16 && second <= 31
                || first == 192 && second == 168
                || first == 192 && second == 0 && (b[2] & 0xff) == 0 // IETF protocol assignments
                || first == 192 && second == 0 && (b[2] & 0xff) == 2 // documentation ranges
                || first == 198 && (second == 18 || second == 19) // benchmarking
                || first == 198 && second == 51 && (b[2] & 0xff) == 100
                || first == 203 && second == 0 && (b[2] & 0xff) == 113
                || first >= 224; // multicast, reserved, broadcast
        return notPublic ? Kind.PRIVATE : Kind.PUBLIC;
    }

    private static Kind ofIpv6(Inet6Address a) {
        byte[] b = a.getAddress();
        if (a.isLoopbackAddress()) {
            return Kind.LOOPBACK;
        }
        if (isEc2Metadata(b)) {
            return Kind.METADATA;
        }
        int first = b[0] & 0xff;
        boolean notPublic = a.isAnyLocalAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isMulticastAddress()
                || (first & 0xfe) == 0xfc // unique local, fc00::/7
                || first == 0 // ::/8 reserved (unspecified, loopback, compatible forms handled above)
                || first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8; // doc
        return notPublic ? Kind.PRIVATE : Kind.PUBLIC;
    }

    /** fd00:ec2::254, the metadata service of EC2 over IPv6. */
    private static boolean isEc2Metadata(byte[] b) {
        byte[] metadata = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return Arrays.equals(b, metadata);
    }

    /** The IPv4 address inside an IPv6 one that only wraps it, or null. */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated but still routed by some stacks)
        if (zeros80 && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0)) {
            boolean unspecifiedOrLoopback =
                    b[10] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
            return unspecifiedOrLoopback ? null : Arrays.copyOfRange(b, 12, 16);
        }
        // 64:ff9b::/96, NAT64
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        // 2002::/16, 6to4: the IPv4 address follows the prefix
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] b) {
        try {
            return Inet4Address.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
