package org.transplant.oidc;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes {@link OAuthError} as RFC 6749 §5.2 JSON, never cached; a failed client authentication gets a challenge. */
public class OAuthErrorMapper {

    @ServerExceptionMapper
    public Response oauthError(OAuthError error) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .entity(error.body());
        if (error.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"oauth\"");
        }
        return response.build();
    }
}
