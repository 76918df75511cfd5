package org.transplant.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
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
 * (RFC 7239) is not read: believing two headers lets a client pick the one its proxy does not overwrite.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

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
            InetAddress hop = TrustedProxies.literal(hops.get(i));
            if (hop == null) {
                // Not an address: a trusted proxy would not write this, so the nearest proxy answers for it.
                break;
            }
            client = hop;
        }
        return client.getHostAddress();
    }

    /** The TCP peer, before any forwarding header (Quarkus's forwarding may have rewritten remoteAddress()). */
    private static String peer(HttpServerRequest request) {
        SocketAddress address = request.connection() != null ? request.connection().remoteAddress()
                : request.remoteAddress();
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
