package org.transplant.migration.move;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.transplant.pod.database.Rows;

/** Whether a local account moved away, and where to: what its owner sees when they sign in here again. */
@ApplicationScoped
public class MovedAccounts {

    @TemplateData
    public record Moved(String movedTo, Instant movedAt) {}

    private final Pool pool;

    public MovedAccounts(Pool pool) {
        this.pool = pool;
    }

    /** Where the account went, or null while it lives here. */
    public Uni<Moved> of(long accountId) {
        return pool.preparedQuery("SELECT moved_to, moved_at FROM accounts WHERE id = $1 AND state = 'MOVED'")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Moved(row.getString("moved_to"), Rows.instant(row, "moved_at"));
                });
    }
}
