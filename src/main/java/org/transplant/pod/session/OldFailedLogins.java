package org.transplant.pod.session;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.cleanup.StaleRows;

/** Failed log-ins older than the window the throttle counts in: they no longer count for anything. */
@ApplicationScoped
public class OldFailedLogins implements StaleRows {

    private final Pool pool;
    private final Duration window;

    public OldFailedLogins(Pool pool, TransplantConfig config) {
        this.pool = pool;
        this.window = config.sessions().failedLoginWindow();
    }

    @Override
    public String what() {
        return "old failed log-ins";
    }

    @Override
    public Uni<Integer> deleteSome(int max) {
        return pool.preparedQuery("DELETE FROM failed_logins WHERE id IN (SELECT id FROM failed_logins"
                        + " WHERE failed_at < now() - $1 * interval '1 millisecond' LIMIT $2)")
                .execute(Tuple.of(window.toMillis(), max))
                .map(rows -> rows.rowCount());
    }
}
