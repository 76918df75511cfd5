package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import org.transplant.pod.account.ChangeSequence;

/** Writes the conversations of a run with participants and messages, a batch per transaction. */
@ApplicationScoped
class ConversationWriter {

    private static final int ROWS_PER_BATCH = 10_000;

    private static final String INSERT_CONVERSATIONS = """
            INSERT INTO conversations (guid, subject, author_handle, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])""";
    private static final String INSERT_PARTICIPANTS = """
            INSERT INTO conversation_participants (conversation_id, handle, account_id, seq)
            SELECT c.id, u.handle, u.account_id, u.seq
            FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
                AS u(conversation_guid, handle, account_id, seq)
            JOIN conversations c ON c.guid = u.conversation_guid""";
    private static final String INSERT_MESSAGES = """
            INSERT INTO messages (guid, conversation_id, author_handle, text, created_at)
            SELECT u.guid, c.id, u.author, u.text, u.created_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                AS u(guid, conversation_guid, author, text, created_at)
            JOIN conversations c ON c.guid = u.conversation_guid""";

    private final Pool pool;

    ConversationWriter(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> write(SyntheticRun run) {
        int total = run.request.conversations();
        int perBatch = Math.max(1, Math.min(1_000, ROWS_PER_BATCH / (1 + run.request.messagesPerConversation())));
        SyntheticTimeline timeline =
                new SyntheticTimeline(run.startMillis, run.endMillis, Math.max(1, total), run.conversationRandom);
        int batches = (total + perBatch - 1) / perBatch;
        return SqlBatch.inSequence(batches, b -> {
            int count = Math.min(perBatch, total - b * perBatch);
            return pool.withTransaction(connection -> ChangeSequence.reserveFirst(connection, run.accountId, count)
                    .chain(firstSeq ->
                            insert(connection, run, ConversationBatch.generate(run, timeline, count, firstSeq))));
        });
    }

    private static Uni<Void> insert(SqlConnection connection, SyntheticRun run, ConversationBatch batch) {
        int n = batch.participants;
        return SqlBatch.insert(
                        connection, INSERT_CONVERSATIONS, batch.guids, batch.subjects, batch.authors, batch.times)
                .invoke(rows -> run.tally.conversations += rows)
                .chain(() -> SqlBatch.insert(
                        connection,
                        INSERT_PARTICIPANTS,
                        Arrays.copyOf(batch.participantConversations, n),
                        Arrays.copyOf(batch.participantHandles, n),
                        Arrays.copyOf(batch.participantAccounts, n),
                        Arrays.copyOf(batch.participantSeqs, n)))
                .invoke(rows -> run.tally.participants += rows)
                .chain(() -> batch.messageGuids.length == 0
                        ? Uni.createFrom().item(0)
                        : SqlBatch.insert(
                                connection,
                                INSERT_MESSAGES,
                                batch.messageGuids,
                                batch.messageConversations,
                                batch.messageAuthors,
                                batch.messageTexts,
                                batch.messageTimes))
                .invoke(rows -> run.tally.messages += rows)
                .replaceWithVoid();
    }
}
