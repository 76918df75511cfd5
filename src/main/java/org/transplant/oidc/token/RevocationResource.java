package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.client.ClientRegistry;

/**
 * {@code POST /oauth/revoke} (RFC 7009): authenticates the client, then {@link TokenRevocation} revokes the token.
 * Unknown tokens and other clients' tokens get the same 200, so the endpoint tells nothing about them (§2.2).
 */
@Path("/oauth/revoke")
public class RevocationResource {

    private final ClientRegistry clients;
    private final TokenRevocation revocation;

    public RevocationResource(ClientRegistry clients, TokenRevocation revocation) {
        this.clients = clients;
        this.revocation = revocation;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(
            @FormParam("token") String token,
            @FormParam("token_type_hint") String hint,
            @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return clients.authenticate(authorization, clientId, clientSecret)
                .chain(client -> {
                    if (token == null || token.isBlank()) {
                        throw new OAuthError(OAuthError.INVALID_REQUEST, "token is required");
                    }
                    return revocation.revoke(client, token);
                })
                .replaceWith(Response.ok().header("Cache-Control", "no-store").build());
    }
}
