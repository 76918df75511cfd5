package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.migration.api.ExportRecords.TombstoneRecord;
import org.transplant.pod.database.Rows;

/**
 * The tombstones collection: what the account deleted (posts, likes, contacts, tag followings), by change sequence.
 * Read with {@code changedAfter} it completes a delta, so a deletion between two passes is not lost.
 */
@ApplicationScoped
public class TombstoneExporter implements CollectionExporter<TombstoneRecord> {

    private final Pool pool;

    public TombstoneExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "tombstones";
    }

    @Override
    public Uni<List<Keyed<TombstoneRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        // The key is the sequence number, zero-padded so that text order is number order.
        return pool.preparedQuery("SELECT kind, guid, seq, deleted_at, lpad(seq::text, 19, '0') AS key FROM tombstones"
                        + " WHERE account_id = $1 AND seq <= $2 AND seq >= $3 AND deleted_at >= $4 AND deleted_at <= $5"
                        + " AND (deleted_at, lpad(seq::text, 19, '0')) > ($6, $7) ORDER BY deleted_at, seq LIMIT $8")
                .execute(Tuple.from(Arrays.asList(
                        scope.accountId(),
                        window.snapshot(),
                        window.fromSeq(),
                        ExportSql.since(window),
                        ExportSql.until(window),
                        ExportSql.afterTime(after),
                        ExportSql.afterKey(after),
                        limit)))
                .map(rows -> {
                    List<Keyed<TombstoneRecord>> items = new ArrayList<>();
                    rows.forEach(r -> {
                        TombstoneRecord record = new TombstoneRecord(
                                r.getString("kind"),
                                r.getString("guid"),
                                r.getLong("seq"),
                                Rows.instant(r, "deleted_at"));
                        items.add(new Keyed<>(record, record.deletedAt(), r.getString("key")));
                    });
                    return items;
                });
    }
}
