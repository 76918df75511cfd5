package org.transplant.oidc.resource;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.transplant.oidc.Scopes;
import org.transplant.web.Problem;

/**
 * The pod's own {@code /api/v1} is for the person's browser session. An access token reaches only what its scopes
 * name there: {@code profile} reads {@code GET /api/v1/profile}; everything else needs the session.
 */
public class ApiTokenScopeFilter {

    private final CurrentIdentityAssociation identities;

    public ApiTokenScopeFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/v1/")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            BearerToken token = BearerToken.of(identity);
            if (token == null) {
                return null;
            }
            boolean profileRead = "GET".equals(request.getMethod()) && "/api/v1/profile".equals(path)
                    && token.scopes().contains(Scopes.PROFILE);
            return profileRead ? null : Problem.of(403, "insufficient-scope", "Insufficient scope",
                    "Access tokens reach only GET /api/v1/profile (scope profile) here; the rest of /api/v1 needs"
                            + " a browser session").toResponse();
        });
    }
}
