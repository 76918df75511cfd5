package org.transplant.outbound;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.transplant.config.TransplantConfig;
import org.transplant.outbound.AddressKinds.Kind;

/**
 * Where this pod may send a request whose address someone else chose (a handle's host, an issuer a JRD names, an
 * endpoint in metadata): the name is resolved first and every address it has must be public, unless private
 * addresses are allowed for development and tests; cloud metadata addresses never. Plain http only to loopback, and
 * only when private addresses are allowed; https everywhere else. The caller connects to the address checked here,
 * so a name that resolves differently a moment later (DNS rebinding) cannot redirect the request.
 */
@ApplicationScoped
public class OutboundPolicy {

    /** A checked request target: the URL as given and the address to connect to. */
    public record Target(URI uri, String host, int port, boolean ssl, InetAddress address) {}

    private final Vertx vertx;
    private final boolean allowPrivate;

    public OutboundPolicy(Vertx vertx, TransplantConfig config) {
        this.vertx = vertx;
        this.allowPrivate = config.outbound().allowPrivateAddresses();
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivate;
    }

    /** The target of {@code url}, or a failure with {@link OutboundRefused}. Resolves on a worker thread. */
    public Uni<Target> check(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (OutboundRefused e) {
            return Uni.createFrom().failure(e);
        }
        String host = hostOf(uri);
        return vertx.executeBlocking(() -> resolve(host), false).map(addresses -> target(uri, host, addresses));
    }

    /** Checks an address already resolved (the OIDC filter's case); throws {@link OutboundRefused}. */
    public Target target(URI uri, String host, InetAddress[] addresses) {
        boolean ssl = "https".equals(uri.getScheme());
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            Kind kind = AddressKinds.of(address);
            if (kind == Kind.METADATA) {
                throw new OutboundRefused(host + " is a cloud metadata address, which this pod never calls");
            }
            if (kind != Kind.PUBLIC && !allowPrivate) {
                throw new OutboundRefused(host + " is not on the public internet ("
                        + kind.name().toLowerCase(Locale.ROOT) + " address), which this pod does not call");
            }
            allLoopback &= kind == Kind.LOOPBACK;
        }
        if (!ssl && !(allLoopback && allowPrivate)) {
            throw new OutboundRefused(host + " must be called over https");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
        return new Target(uri, host, port, ssl, addresses[0]);
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new OutboundRefused("not a URL this pod can call");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new OutboundRefused("not an http(s) URL with a host");
        }
        // user:password@host hides the real host from a reader and is never needed between pods.
        if (uri.getRawUserInfo() != null) {
            throw new OutboundRefused("a URL with user information is not called");
        }
        return uri;
    }

    static String hostOf(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new OutboundRefused.NoAddress(host);
        }
    }
}
