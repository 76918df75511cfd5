package org.transplant.outbound;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A second line for the calls quarkus-oidc and quarkus-oidc-client make themselves: whatever client makes one (the
 * old-pod clients go through {@link OidcProxy}, which pins, caps and times them; a client made anywhere else would
 * not), it must go to the origin of an old pod this pod registered with and pass {@link OutboundPolicy}. The pod's
 * own tenant, which reads its own JWKS over loopback, is let through.
 */
// Found by quarkus-oidc at run time, never injected: kept although nothing injects it.
@Unremovable
@ApplicationScoped
public class OidcOutboundFilter implements OidcRequestFilter {

    private final OutboundPolicy policy;
    private final RegisteredOrigins origins;
    private final String ownJwks;

    public OidcOutboundFilter(
            OutboundPolicy policy,
            RegisteredOrigins origins,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String ownAuthServer,
            @ConfigProperty(name = "quarkus.oidc.jwks-path") String ownJwksPath) {
        this.policy = policy;
        this.origins = origins;
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
        return origins.isRegistered(url)
                .chain(registered -> {
                    if (!registered) {
                        throw new OutboundRefused(name + " is not the host of an old pod this pod registered with");
                    }
                    return policy.check(url);
                })
                .replaceWithVoid();
    }
}
