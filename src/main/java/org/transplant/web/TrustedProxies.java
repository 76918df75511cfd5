package org.transplant.web;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.transplant.config.TransplantConfig;

/**
 * The reverse proxies the pod believes ({@code transplant.http.trusted-proxies}): addresses and CIDR ranges, as
 * literals only (a host name would cost a DNS look-up per request, and DNS can lie). Empty: nobody is believed.
 */
@Startup
@ApplicationScoped
public class TrustedProxies {

    private static final TrustedProxies NOBODY = new TrustedProxies(List.of());
    private static volatile TrustedProxies current = NOBODY;

    private final List<Range> ranges;

    @Inject
    public TrustedProxies(TransplantConfig config) {
        this(config.http().trustedProxies().orElse(List.of()));
        current = this;
    }

    TrustedProxies(List<String> entries) {
        List<Range> parsed = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                parsed.add(Range.parse(entry.strip()));
            }
        }
        this.ranges = List.copyOf(parsed);
    }

    /** The running pod's setting (nobody before the pod has started). */
    static TrustedProxies current() {
        return current;
    }

    /** Whether {@code address} (a literal IP) is one of the trusted proxies. */
    public boolean trusts(InetAddress address) {
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** An IP literal as an address, without DNS; null when it is not one. */
    static InetAddress literal(String text) {
        String value = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = value.contains(":") && value.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int bits) {

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException(
                        "transplant.http.trusted-proxies: '" + entry + "' is not an IP address or CIDR range");
            }
            int max = address.getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException(
                        "transplant.http.trusted-proxies: '" + entry + "' has no valid prefix length");
            }
            return new Range(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((candidate[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
