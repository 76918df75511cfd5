package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jose4j.jwt.MalformedClaimException;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.client.ClientRegistry;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.session.SessionTokens;

/**
 * {@code POST /oauth/revoke} (RFC 7009). A refresh token takes its whole family with it (§2.1: access tokens of the
 * same grant go too); an access token stops working at once, since the resource side checks its row on every call.
 * Unknown tokens and other clients' tokens get the same 200, so the endpoint tells nothing about them (§2.2).
 */
@Path("/oauth/revoke")
public class RevocationResource {

    private final ClientRegistry clients;
    private final AccessTokenReader reader;
    private final Pool pool;

    public RevocationResource(ClientRegistry clients, AccessTokenReader reader, Pool pool) {
        this.clients = clients;
        this.reader = reader;
        this.pool = pool;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@FormParam("token") String token, @FormParam("token_type_hint") String hint,
            @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return clients.authenticate(authorization, clientId, clientSecret).chain(client -> {
            if (token == null || token.isBlank()) {
                throw new OAuthError(OAuthError.INVALID_REQUEST, "token is required");
            }
            return revokeRefresh(client, token)
                    .chain(revoked -> revoked ? Uni.createFrom().voidItem() : revokeAccess(client, token));
        }).replaceWith(Response.ok().header("Cache-Control", "no-store").build());
    }

    private Uni<Boolean> revokeRefresh(RegisteredClient client, String token) {
        return pool.preparedQuery("UPDATE oidc_tokens SET revoked_at = now() WHERE family_id IN (SELECT family_id"
                + " FROM oidc_tokens WHERE id = $1 AND kind = 'refresh' AND client_id = $2) AND revoked_at IS NULL")
                .execute(Tuple.of(SessionTokens.hash(token), client.clientId()))
                .map(rows -> rows.rowCount() > 0);
    }

    private Uni<Void> revokeAccess(RegisteredClient client, String token) {
        return reader.read(token).chain(claims -> {
            if (claims == null) {
                return Uni.createFrom().voidItem();
            }
            try {
                return pool.preparedQuery("UPDATE oidc_tokens SET revoked_at = now() WHERE id = $1 AND kind = 'access'"
                        + " AND client_id = $2 AND revoked_at IS NULL")
                        .execute(Tuple.of(claims.getJwtId(), client.clientId())).replaceWithVoid();
            } catch (MalformedClaimException e) {
                return Uni.createFrom().voidItem();
            }
        });
    }
}
