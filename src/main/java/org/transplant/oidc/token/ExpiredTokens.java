package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.cleanup.StaleRows;

/**
 * Expired access tokens, and expired refresh tokens whose family has no live token left. A used refresh token
 * stays while its family lives: its replay is what reveals a stolen token and revokes the family (RFC 9700
 * §4.14.2).
 */
@ApplicationScoped
public class ExpiredTokens implements StaleRows {

    private final Pool pool;

    public ExpiredTokens(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String what() {
        return "expired tokens";
    }

    @Override
    public Uni<Integer> deleteSome(int max) {
        return pool.preparedQuery(
                        "DELETE FROM oidc_tokens WHERE id IN (SELECT t.id FROM oidc_tokens t"
                                + " WHERE t.expires_at < now() AND (t.kind = 'access' OR NOT EXISTS (SELECT 1 FROM oidc_tokens f"
                                + " WHERE f.family_id = t.family_id AND f.expires_at >= now() AND f.revoked_at IS NULL)) LIMIT $1)")
                .execute(Tuple.of(max))
                .map(rows -> rows.rowCount());
    }
}
