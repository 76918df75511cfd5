package org.transplant.pod.session;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.cleanup.StaleRows;

/** Sessions past their expiry: {@link SessionService#lookup} ignores them already. */
@ApplicationScoped
public class ExpiredSessions implements StaleRows {

    private final Pool pool;

    public ExpiredSessions(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String what() {
        return "expired sessions";
    }

    @Override
    public Uni<Integer> deleteSome(int max) {
        return pool.preparedQuery("DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions"
                        + " WHERE expires_at < now() LIMIT $1)")
                .execute(Tuple.of(max))
                .map(rows -> rows.rowCount());
    }
}
