package org.transplant.pod.admin;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.transplant.config.TransplantConfig;
import org.transplant.web.Problem;

/**
 * Admits {@code /admin/v1} calls that carry {@code Authorization: Bearer <TRANSPLANT_ADMIN_TOKEN>}. Without a
 * configured token the admin API does not exist (404), so an unset token can never be guessed.
 */
public class AdminGuard {

    private final Optional<byte[]> token;

    public AdminGuard(TransplantConfig config) {
        this.token = config.adminToken().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/admin/")) {
            return null;
        }
        if (token.isEmpty()) {
            return Problem.of(
                            404,
                            "admin-api-off",
                            "Not found",
                            "The admin API is off on this pod; set TRANSPLANT_ADMIN_TOKEN to turn it on")
                    .toResponse();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(token.get(), given)) {
            return Response.fromResponse(Problem.of(
                                    401,
                                    "unauthorized",
                                    "Unauthorized",
                                    "The admin API needs the pod's admin token as a bearer token")
                            .toResponse())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"admin\"")
                    .build();
        }
        return null;
    }
}
