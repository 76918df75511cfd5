package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.pod.database.Rows;

/**
 * The messages collection: every message of every conversation the account takes part in, oldest first across all
 * of them, each naming its conversation. A conversation embeds only its oldest messages; this collection has no such
 * bound, so a conversation of any length arrives whole, a page at a time.
 *
 * <p>Messages have no change sequence of their own: the snapshot bounds them by its time (as it bounds
 * conversations), and a delta serves every message of the conversations whose participant row a message restamped
 * after {@code changedAfter}, which an importer writes idempotently by guid.
 */
@ApplicationScoped
public class MessageExporter implements CollectionExporter<MessageRecord> {

    private final Pool pool;

    public MessageExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "messages";
    }

    @Override
    public Uni<List<Keyed<MessageRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        // The conversation's own time within the span too: a backup span hides a conversation begun outside it, and
        // so every message of it, as the conversations collection does.
        return pool.preparedQuery("SELECT m.guid, c.guid AS conversation_guid, m.author_handle, m.text, m.created_at"
                        + " FROM conversation_participants cp JOIN conversations c ON c.id = cp.conversation_id"
                        + " JOIN messages m ON m.conversation_id = c.id"
                        + " WHERE cp.account_id = $1 AND c.created_at <= $2 AND m.created_at <= $2"
                        + " AND coalesce(cp.seq, 0) >= $3 AND c.created_at >= $4 AND c.created_at <= $5"
                        + " AND m.created_at >= $4 AND m.created_at <= $5 AND (m.created_at, m.guid) > ($6, $7)"
                        + " ORDER BY m.created_at, m.guid LIMIT $8")
                .execute(Tuple.from(Arrays.asList(
                        scope.accountId(),
                        ExportSql.snapshotAt(window),
                        window.fromSeq(),
                        ExportSql.since(window),
                        ExportSql.until(window),
                        ExportSql.afterTime(after),
                        ExportSql.afterKey(after),
                        limit)))
                .map(rows -> {
                    List<Keyed<MessageRecord>> items = new ArrayList<>();
                    rows.forEach(r -> {
                        MessageRecord record = new MessageRecord(
                                r.getString("guid"),
                                r.getString("conversation_guid"),
                                r.getString("author_handle"),
                                r.getString("text"),
                                Rows.instant(r, "created_at"));
                        items.add(new Keyed<>(record, record.createdAt(), record.guid()));
                    });
                    return items;
                });
    }
}
