package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwt.MalformedClaimException;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.session.SessionTokens;

/**
 * Revokes a token a client presents (RFC 7009): a refresh token takes its whole family with it (§2.1: access tokens
 * of the same grant go too); an access token stops working at once, since the resource side checks its row on every
 * call. Only the client's own tokens are touched; anything else is ignored without a word (§2.2).
 */
@ApplicationScoped
public class TokenRevocation {

    private final AccessTokenReader reader;
    private final Pool pool;

    public TokenRevocation(AccessTokenReader reader, Pool pool) {
        this.reader = reader;
        this.pool = pool;
    }

    public Uni<Void> revoke(RegisteredClient client, String token) {
        return revokeRefresh(client, token)
                .chain(revoked -> revoked ? Uni.createFrom().voidItem() : revokeAccess(client, token));
    }

    private Uni<Boolean> revokeRefresh(RegisteredClient client, String token) {
        return pool.preparedQuery(
                        "UPDATE oidc_tokens SET revoked_at = now() WHERE family_id IN (SELECT family_id"
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
                        .execute(Tuple.of(claims.getJwtId(), client.clientId()))
                        .replaceWithVoid();
            } catch (MalformedClaimException e) {
                return Uni.createFrom().voidItem();
            }
        });
    }
}
