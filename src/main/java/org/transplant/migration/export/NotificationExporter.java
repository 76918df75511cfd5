package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.migration.api.ExportRecords.NotificationRecord;
import org.transplant.pod.database.Rows;

/**
 * The notifications collection: only the account's {@link #RECENT} newest (older ones are noise on a new pod),
 * served oldest first and keyed by id as text. Notifications have no change sequence: the snapshot bounds them by
 * its time, and a delta serves the same recent ones again (the importer adds those it does not have).
 */
@ApplicationScoped
public class NotificationExporter implements CollectionExporter<NotificationRecord> {

    public static final int RECENT = 30;

    private final Pool pool;

    public NotificationExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "notifications";
    }

    @Override
    public Uni<List<Keyed<NotificationRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        // The inner query fixes the set (the newest RECENT up to the snapshot's time), so every page sees the same.
        return pool.preparedQuery("SELECT id::text AS key, kind, actor_handle, target_guid, unread, created_at FROM"
                        + " (SELECT * FROM notifications WHERE account_id = $1 AND created_at <= $2"
                        + " AND created_at >= $3 AND created_at <= $4 ORDER BY created_at DESC, id DESC LIMIT $5) recent"
                        + " WHERE (created_at, id::text) > ($6, $7) ORDER BY created_at, id::text LIMIT $8")
                .execute(Tuple.from(Arrays.asList(
                        scope.accountId(),
                        ExportSql.snapshotAt(window),
                        ExportSql.since(window),
                        ExportSql.until(window),
                        RECENT,
                        ExportSql.afterTime(after),
                        ExportSql.afterKey(after),
                        limit)))
                .map(rows -> {
                    List<Keyed<NotificationRecord>> items = new ArrayList<>();
                    rows.forEach(r -> {
                        NotificationRecord record = new NotificationRecord(
                                r.getString("kind"),
                                r.getString("actor_handle"),
                                r.getString("target_guid"),
                                r.getBoolean("unread"),
                                Rows.instant(r, "created_at"));
                        items.add(new Keyed<>(record, record.createdAt(), r.getString("key")));
                    });
                    return items;
                });
    }
}
