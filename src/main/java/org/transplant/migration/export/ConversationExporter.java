package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.pod.database.Rows;

/**
 * The conversations collection: every conversation the account takes part in, oldest first, with all participant
 * handles and its oldest messages embedded: at most {@link #EMBEDDED} per conversation, so that one page stays
 * bounded however long a conversation runs. {@code messageCount} says how many it has; the messages collection
 * ({@link MessageExporter}) serves every one of them.
 */
@ApplicationScoped
public class ConversationExporter implements CollectionExporter<ConversationRecord> {

    public static final int EMBEDDED = 200;

    private final Pool pool;

    public ConversationExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "conversations";
    }

    @Override
    public Uni<List<Keyed<ConversationRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        // The participant row's seq is restamped by every message, so it only selects a delta; the snapshot bounds
        // conversations (which have no seq) by its time instead.
        return pool.preparedQuery("SELECT c.id, c.guid, c.subject, c.author_handle, c.created_at"
                        + " FROM conversation_participants cp JOIN conversations c ON c.id = cp.conversation_id"
                        + " WHERE cp.account_id = $1 AND c.created_at <= $2 AND coalesce(cp.seq, 0) >= $3"
                        + " AND c.created_at >= $4 AND c.created_at <= $5 AND (c.created_at, c.guid) > ($6, $7)"
                        + " ORDER BY c.created_at, c.guid LIMIT $8")
                .execute(Tuple.from(Arrays.asList(
                        scope.accountId(),
                        ExportSql.snapshotAt(window),
                        window.fromSeq(),
                        ExportSql.since(window),
                        ExportSql.until(window),
                        ExportSql.afterTime(after),
                        ExportSql.afterKey(after),
                        limit)))
                .chain(rows -> {
                    List<Row> conversations = new ArrayList<>();
                    rows.forEach(conversations::add);
                    if (conversations.isEmpty()) {
                        return Uni.createFrom().item(List.<Keyed<ConversationRecord>>of());
                    }
                    Long[] ids =
                            conversations.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
                    return Uni.combine()
                            .all()
                            .unis(participants(ids), messages(ids, window), messageCounts(ids, window))
                            .asTuple()
                            .map(extra -> conversations.stream()
                                    .map(r -> {
                                        long id = r.getLong("id");
                                        ConversationRecord record = new ConversationRecord(
                                                r.getString("guid"),
                                                r.getString("subject"),
                                                r.getString("author_handle"),
                                                extra.getItem1().getOrDefault(id, List.of()),
                                                Rows.instant(r, "created_at"),
                                                extra.getItem2().getOrDefault(id, List.of()),
                                                extra.getItem3().getOrDefault(id, 0L));
                                        return new Keyed<>(record, record.createdAt(), record.guid());
                                    })
                                    .toList());
                });
    }

    private Uni<Map<Long, List<String>>> participants(Long[] ids) {
        return pool.preparedQuery("SELECT conversation_id, handle FROM conversation_participants"
                        + " WHERE conversation_id = ANY($1) ORDER BY handle")
                .execute(Tuple.of((Object) ids))
                .map(rows -> {
                    Map<Long, List<String>> byConversation = new HashMap<>();
                    rows.forEach(r -> byConversation
                            .computeIfAbsent(r.getLong("conversation_id"), k -> new ArrayList<>())
                            .add(r.getString("handle")));
                    return byConversation;
                });
    }

    /** How many messages each conversation has, within the same bounds as the embedded ones. */
    private Uni<Map<Long, Long>> messageCounts(Long[] ids, Window window) {
        return pool.preparedQuery("SELECT conversation_id, count(*) FROM messages WHERE conversation_id = ANY($1)"
                        + " AND created_at <= $2 AND created_at >= $3 AND created_at <= $4 GROUP BY conversation_id")
                .execute(Tuple.from(Arrays.asList(
                        ids, ExportSql.snapshotAt(window), ExportSql.since(window), ExportSql.until(window))))
                .map(rows -> {
                    Map<Long, Long> counts = new HashMap<>();
                    rows.forEach(r -> counts.put(r.getLong(0), r.getLong(1)));
                    return counts;
                });
    }

    /** Messages up to the snapshot's time and within the window's span: a backup span hides the rest. */
    private Uni<Map<Long, List<MessageRecord>>> messages(Long[] ids, Window window) {
        return pool.preparedQuery(
                        "SELECT x.conversation_id, x.guid, x.author_handle, x.text, x.created_at FROM"
                                + " (SELECT m.*, row_number() OVER (PARTITION BY m.conversation_id ORDER BY m.created_at, m.guid)"
                                + " AS n FROM messages m WHERE m.conversation_id = ANY($1) AND m.created_at <= $2"
                                + " AND m.created_at >= $3 AND m.created_at <= $4) x WHERE x.n <= $5 ORDER BY x.created_at, x.guid")
                .execute(Tuple.from(Arrays.asList(
                        ids, ExportSql.snapshotAt(window), ExportSql.since(window), ExportSql.until(window), EMBEDDED)))
                .map(rows -> {
                    Map<Long, List<MessageRecord>> byConversation = new HashMap<>();
                    rows.forEach(r -> byConversation
                            .computeIfAbsent(r.getLong("conversation_id"), k -> new ArrayList<>())
                            .add(new MessageRecord(
                                    r.getString("guid"),
                                    null,
                                    r.getString("author_handle"),
                                    r.getString("text"),
                                    Rows.instant(r, "created_at"))));
                    return byConversation;
                });
    }
}
