package org.transplant.oidc.authorize;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.cleanup.StaleRows;

/**
 * Authorization codes past their expiry, used or not. A used code stays until then: its row is what tells a replay
 * (RFC 6749 §4.1.2) from a code never issued, and a replay after expiry is refused either way.
 */
@ApplicationScoped
public class ExpiredCodes implements StaleRows {

    private final Pool pool;

    public ExpiredCodes(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String what() {
        return "expired authorization codes";
    }

    @Override
    public Uni<Integer> deleteSome(int max) {
        return pool.preparedQuery("DELETE FROM oidc_codes WHERE code_hash IN (SELECT code_hash FROM oidc_codes"
                        + " WHERE expires_at < now() LIMIT $1)")
                .execute(Tuple.of(max))
                .map(rows -> rows.rowCount());
    }
}
