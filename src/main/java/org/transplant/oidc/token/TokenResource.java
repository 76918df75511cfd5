package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.client.ClientRegistry;

/** {@code POST /oauth/token}: authenticates the client, hands the grant to its decider, writes RFC 6749 §5.1. */
@Path("/oauth/token")
public class TokenResource {

    private final ClientRegistry clients;
    private final CodeGrant codeGrant;
    private final RefreshGrant refreshGrant;

    public TokenResource(ClientRegistry clients, CodeGrant codeGrant, RefreshGrant refreshGrant) {
        this.clients = clients;
        this.codeGrant = codeGrant;
        this.refreshGrant = refreshGrant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@BeanParam TokenRequest request) {
        if (request.grantType == null || request.grantType.isBlank()) {
            throw new OAuthError(OAuthError.INVALID_REQUEST, "grant_type is required");
        }
        return clients.authenticate(request.authorization, request.clientId, request.clientSecret)
                .chain(client -> {
                    if (!client.grantTypes().contains(request.grantType)) {
                        throw new OAuthError(
                                switch (request.grantType) {
                                    case "authorization_code", "refresh_token" -> OAuthError.UNAUTHORIZED_CLIENT;
                                    default -> OAuthError.UNSUPPORTED_GRANT_TYPE;
                                },
                                "grant_type " + request.grantType + " is not available to this client");
                    }
                    return switch (request.grantType) {
                        case "authorization_code" -> codeGrant.exchange(client, request);
                        default -> refreshGrant.refresh(client, request);
                    };
                })
                .map(tokens -> Response.ok(tokens)
                        .header("Cache-Control", "no-store")
                        .header("Pragma", "no-cache")
                        .build());
    }
}
