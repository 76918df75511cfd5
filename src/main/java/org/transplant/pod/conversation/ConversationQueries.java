package org.transplant.pod.conversation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.pod.Cursor;
import org.transplant.pod.conversation.ConversationViews.ConversationPage;
import org.transplant.pod.conversation.ConversationViews.ConversationSummary;
import org.transplant.pod.conversation.ConversationViews.ConversationView;
import org.transplant.pod.conversation.ConversationViews.MessageView;
import org.transplant.pod.database.Rows;

/**
 * Reads the conversations an account takes part in, newest first by keyset on (created_at, guid). Every query
 * joins the reader's own participant row, so a conversation someone is not in looks like one that does not exist.
 */
@ApplicationScoped
public class ConversationQueries {

    /** $1 is the reader's account id. */
    private static final String COLUMNS = "SELECT c.id, c.guid, c.subject, c.author_handle, c.created_at,"
            + " ARRAY(SELECT o.handle FROM conversation_participants o WHERE o.conversation_id = c.id"
            + " ORDER BY o.handle) AS participants,"
            + " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count"
            + " FROM conversations c JOIN conversation_participants me ON me.conversation_id = c.id"
            + " AND me.account_id = $1";

    private final Pool pool;

    public ConversationQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<ConversationPage> page(long accountId, Cursor after, int limit) {
        Tuple args = Tuple.of(accountId, limit + 1);
        String keyset = "";
        if (after != null) {
            keyset = " WHERE (c.created_at, c.guid) < ($3, $4)";
            args.addOffsetDateTime(after.createdAt().atOffset(ZoneOffset.UTC)).addString(after.guid());
        }
        return pool.preparedQuery(COLUMNS + keyset + " ORDER BY c.created_at DESC, c.guid DESC LIMIT $2")
                .execute(args)
                .map(rows -> {
                    List<ConversationSummary> items = new ArrayList<>();
                    rows.forEach(r -> items.add(summary(r)));
                    if (items.size() <= limit) {
                        return new ConversationPage(items, null);
                    }
                    ConversationSummary last = items.get(limit - 1);
                    return new ConversationPage(
                            List.copyOf(items.subList(0, limit)), new Cursor(last.createdAt(), last.guid()).encode());
                });
    }

    /** One conversation with all its messages, oldest first; null when the reader is not in it. */
    public Uni<ConversationView> find(String guid, long accountId) {
        return pool.preparedQuery(COLUMNS + " WHERE c.guid = $2")
                .execute(Tuple.of(accountId, guid))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    return messages(row.getLong("id"))
                            .map(messages -> new ConversationView(
                                    row.getString("guid"),
                                    row.getString("subject"),
                                    row.getString("author_handle"),
                                    participants(row),
                                    messages,
                                    Rows.instant(row, "created_at")));
                });
    }

    private Uni<List<MessageView>> messages(long conversationId) {
        return pool.preparedQuery("SELECT guid, author_handle, text, created_at FROM messages"
                        + " WHERE conversation_id = $1 ORDER BY created_at, guid")
                .execute(Tuple.of(conversationId))
                .map(rows -> {
                    List<MessageView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(new MessageView(
                            r.getString("guid"),
                            r.getString("author_handle"),
                            r.getString("text"),
                            Rows.instant(r, "created_at"))));
                    return views;
                });
    }

    private static ConversationSummary summary(Row r) {
        return new ConversationSummary(
                r.getString("guid"),
                r.getString("subject"),
                r.getString("author_handle"),
                participants(r),
                r.getLong("message_count"),
                Rows.instant(r, "created_at"));
    }

    private static List<String> participants(Row r) {
        return Arrays.asList(r.getArrayOfStrings("participants"));
    }
}
