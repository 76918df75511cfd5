package org.transplant.pod.admin;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;
import java.util.function.IntFunction;

/** The two statements every batch writer uses: reserving sequence numbers and a bulk insert from arrays. */
final class SqlBatch {

    private SqlBatch() {
    }

    /**
     * Reserves {@code count} of the account's change sequence numbers and returns the first. The update row-locks
     * the account until the batch commits, as {@code ChangeSequence} does for single writes.
     */
    static Uni<Long> reserveSeq(SqlConnection connection, long accountId, long count) {
        return connection.preparedQuery("UPDATE accounts SET last_seq = last_seq + $1 WHERE id = $2 RETURNING last_seq")
                .execute(Tuple.of(count, accountId))
                .map(rows -> rows.iterator().next().getLong(0) - count + 1);
    }

    /** Runs one statement whose parameters are arrays (unnest), returning the rows it wrote. */
    static Uni<Integer> insert(SqlConnection connection, String sql, Object... parameters) {
        return connection.preparedQuery(sql).execute(Tuple.from(Arrays.asList(parameters)))
                .map(rows -> rows.rowCount());
    }

    /** Runs {@code count} steps one after the other, each subscribed when the one before has finished. */
    static Uni<Void> inSequence(int count, IntFunction<Uni<?>> step) {
        return Multi.createFrom().range(0, count)
                .onItem().transformToUniAndConcatenate(step::apply)
                .collect().last()
                .replaceWithVoid();
    }
}
