package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.account.ChangeSequence;

/**
 * Writes the posts of a run with their aspects, comments and likes, a batch per transaction. Comments and likes
 * find their post by guid in the same statement, so post ids never travel back to Java.
 */
@ApplicationScoped
class PostWriter {

    /** Rows per batch (posts, comments and likes together): big enough to amortize a round trip, small in memory. */
    private static final int ROWS_PER_BATCH = 20_000;

    private static final int MAX_POSTS_PER_BATCH = 5_000;

    private static final String INSERT_POSTS = """
            INSERT INTO posts (guid, account_id, text, public, root_guid, seq, created_at)
            SELECT u.guid, $1, u.text, u.public, u.root_guid, u.seq, u.created_at
            FROM unnest($2::text[], $3::text[], $4::bool[], $5::text[], $6::bigint[], $7::timestamptz[])
                AS u(guid, text, public, root_guid, seq, created_at)""";
    private static final String INSERT_POST_ASPECTS = """
            INSERT INTO post_aspects (post_id, aspect_id)
            SELECT p.id, u.aspect_id FROM unnest($1::text[], $2::bigint[]) AS u(guid, aspect_id)
            JOIN posts p ON p.guid = u.guid""";
    private static final String INSERT_COMMENTS = """
            INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at)
            SELECT u.guid, p.id, u.author, u.text, u.seq, u.created_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[])
                AS u(guid, post_guid, author, text, seq, created_at)
            JOIN posts p ON p.guid = u.post_guid""";
    private static final String INSERT_LIKES = """
            INSERT INTO likes (guid, post_id, author_handle, positive, seq, created_at)
            SELECT u.guid, p.id, u.author, TRUE, u.seq, u.created_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[])
                AS u(guid, post_guid, author, seq, created_at)
            JOIN posts p ON p.guid = u.post_guid""";

    private final Pool pool;

    PostWriter(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> write(SyntheticRun run) {
        int total = run.request.posts();
        int perBatch =
                (int) Math.max(1, Math.min(MAX_POSTS_PER_BATCH, ROWS_PER_BATCH / PostBatch.seqCount(1, run.request)));
        int batches = (total + perBatch - 1) / perBatch;
        return SqlBatch.inSequence(
                batches, b -> writeBatch(run, b * perBatch, Math.min(perBatch, total - b * perBatch)));
    }

    private Uni<Void> writeBatch(SyntheticRun run, int from, int count) {
        return pool.withTransaction(connection -> ChangeSequence.reserveFirst(
                        connection, run.accountId, PostBatch.seqCount(count, run.request))
                .chain(firstSeq -> insert(connection, run, PostBatch.generate(run, from, count, firstSeq))));
    }

    private Uni<Void> insert(SqlConnection connection, SyntheticRun run, PostBatch batch) {
        SyntheticTally tally = run.tally;
        return SqlBatch.insert(
                        connection,
                        INSERT_POSTS,
                        run.accountId,
                        batch.postGuids,
                        batch.postTexts,
                        batch.postPublic,
                        batch.rootGuids,
                        batch.postSeqs,
                        batch.postTimes)
                .invoke(rows -> tally.posts += rows)
                .chain(() -> batch.aspectIds.length == 0
                        ? Uni.createFrom().item(0)
                        : SqlBatch.insert(connection, INSERT_POST_ASPECTS, batch.aspectPostGuids, batch.aspectIds))
                .invoke(rows -> tally.postAspects += rows)
                .chain(() -> batch.commentGuids.length == 0
                        ? Uni.createFrom().item(0)
                        : SqlBatch.insert(
                                connection,
                                INSERT_COMMENTS,
                                batch.commentGuids,
                                batch.commentPostGuids,
                                batch.commentAuthors,
                                batch.commentTexts,
                                batch.commentSeqs,
                                batch.commentTimes))
                .invoke(rows -> tally.comments += rows)
                .chain(() -> batch.likeGuids.length == 0
                        ? Uni.createFrom().item(0)
                        : SqlBatch.insert(
                                connection,
                                INSERT_LIKES,
                                batch.likeGuids,
                                batch.likePostGuids,
                                batch.likeAuthors,
                                batch.likeSeqs,
                                batch.likeTimes))
                .invoke(rows -> tally.likes += rows)
                .replaceWithVoid();
    }
}
