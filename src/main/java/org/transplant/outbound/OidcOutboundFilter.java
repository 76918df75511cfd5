package org.transplant.outbound;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The outbound policy for the calls quarkus-oidc and quarkus-oidc-client make themselves (discovery, token, JWKS of
 * an old pod): each must go to the origin of an old pod this pod registered with (whose issuer was on the handle's
 * host) and pass {@link OutboundPolicy}. The pod's own tenant, which reads its own JWKS over loopback, is let through.
 * quarkus-oidc connects by name after this check, so these calls are checked but not pinned to the checked address.
 */
// Found by quarkus-oidc at run time, never injected: kept although nothing injects it.
@Unremovable
@ApplicationScoped
public class OidcOutboundFilter implements OidcRequestFilter {

    private final OutboundPolicy policy;
    private final Pool pool;
    private final String ownJwks;

    public OidcOutboundFilter(OutboundPolicy policy, Pool pool,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String ownAuthServer,
            @ConfigProperty(name = "quarkus.oidc.jwks-path") String ownJwksPath) {
        this.policy = policy;
        this.pool = pool;
        String origin = SameOrigin.origin(ownAuthServer);
        this.ownJwks = origin == null ? null : origin + ownJwksPath;
    }

    @Override
    public Uni<Void> filter(OidcRequestFilterContext context) {
        var request = context.request();
        boolean ssl = Boolean.TRUE.equals(request.ssl()) || request.ssl() == null && request.port() == 443;
        String host = request.host().contains(":") ? "[" + request.host() + "]" : request.host();
        String url = (ssl ? "https" : "http") + "://" + host + ":" + request.port() + request.uri();
        // Only the pod's own JWKS (public keys) is let through: an old pod naming any other path of this pod's
        // loopback origin in its metadata is refused like any internal address.
        if (ownJwks != null && ownJwks.equals(SameOrigin.origin(url) + request.uri())) {
            return Uni.createFrom().voidItem();
        }
        String name;
        try {
            name = OutboundPolicy.hostOf(OutboundPolicy.parse(url));
        } catch (OutboundRefused e) {
            return Uni.createFrom().failure(e);
        }
        return registeredOrigin(url, name).chain(registered -> {
            if (!registered) {
                throw new OutboundRefused(name + " is not the host of an old pod this pod registered with");
            }
            return policy.check(url);
        }).replaceWithVoid();
    }

    private Uni<Boolean> registeredOrigin(String url, String host) {
        return pool.preparedQuery("SELECT issuer FROM remote_pods WHERE position($1 in issuer) > 0")
                .execute(Tuple.of(host)).map(rows -> {
                    for (Row row : rows) {
                        if (SameOrigin.same(url, row.getString(0))) {
                            return true;
                        }
                    }
                    return false;
                });
    }
}
