package org.transplant.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The address of the client behind a request: the one key of every per-client limit (log-ins, sign-ups, import
 * starts, registrations, the inbox). Kept in one place so that what a proxy forwards is trusted, or not, the same
 * way everywhere.
 * <p>
 * The connection's own peer is the client, unless it is a trusted proxy ({@link TrustedProxies}): then the
 * {@code X-Forwarded-For} list is read from the right, past every trusted proxy, and the first address that is not
 * one is the client. The entries to its left are whatever the client sent, so they are never believed (Quarkus's
 * own forwarding takes the leftmost entry, which a client forges behind a proxy that appends). {@code Forwarded}
 * (RFC 7239) is not read: believing two headers lets a client pick the one its proxy does not overwrite. An entry
 * may carry a port ({@code 203.0.113.7:4711}, {@code [2001:db8::1]:4711}), which is dropped.
 * <p>
 * An IPv6 client is counted by its /64: one subscriber usually holds a whole /64, and counting single addresses
 * would let it take a fresh allowance with every request.
 */
public final class ClientAddress {

    private ClientAddress() {}

    /** The key every per-client limit counts under: the client's IPv4 address, or its IPv6 /64. */
    public static String of(HttpServerRequest request) {
        String peerText = peer(request);
        InetAddress peer = peerText == null ? null : TrustedProxies.literal(peerText);
        if (peer == null) {
            return peerText == null ? "unknown" : peerText;
        }
        TrustedProxies proxies = TrustedProxies.current();
        InetAddress client = peer;
        List<String> hops = forwardedFor(request);
        for (int i = hops.size() - 1; i >= 0 && proxies.trusts(client); i--) {
            InetAddress hop = TrustedProxies.literal(withoutPort(hops.get(i)));
            if (hop == null) {
                // Not an address: a trusted proxy would not write this, so the nearest proxy answers for it.
                break;
            }
            client = hop;
        }
        return keyOf(client);
    }

    static String keyOf(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** {@code host:port} or {@code [v6]:port} without the port; a bare IPv6 address (several colons) as it is. */
    static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(0, end + 1) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** The TCP peer, before any forwarding header (Quarkus's forwarding may have rewritten remoteAddress()). */
    private static String peer(HttpServerRequest request) {
        SocketAddress address =
                request.connection() != null ? request.connection().remoteAddress() : request.remoteAddress();
        return address == null ? null : address.hostAddress();
    }

    private static List<String> forwardedFor(HttpServerRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        return hops;
    }
}
