package org.transplant.oidc.resource;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.transplant.oidc.Scopes;
import org.transplant.web.Problem;

/**
 * Deny by default: an access token reaches only the endpoints that take tokens, each of which checks the scope it
 * needs. Everything else (the pages, their forms, {@code /api/v1}, imports, settings) is for a browser session, and a
 * request that carries a token there is refused before any resource runs, whatever the token's scopes.
 */
public class TokenReachFilter {

    private final CurrentIdentityAssociation identities;

    public TokenReachFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String method = request.getMethod();
        return identities.getDeferredIdentity().map(identity -> {
            BearerToken token = BearerToken.of(identity);
            return token == null || reaches(token, method, path)
                    ? null
                    : Problem.of(
                                    403,
                                    "insufficient-scope",
                                    "Insufficient scope",
                                    "An access token is not a browser session: it reaches the Migration API, /oauth/userinfo"
                                            + " and GET /api/v1/profile (scope profile), as its scopes allow; "
                                            + method + " " + path + " needs a signed-in browser")
                            .toResponse();
        });
    }

    /** Where tokens go at all; the endpoint then checks the scope ({@link BearerToken#require}). */
    static boolean reaches(BearerToken token, String method, String path) {
        return path.startsWith("/migration/v1/")
                || path.equals("/oauth/userinfo")
                || "GET".equals(method)
                        && path.equals("/api/v1/profile")
                        && token.scopes().contains(Scopes.PROFILE);
    }
}
