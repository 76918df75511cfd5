package org.transplant.pod.admin;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;
import java.util.function.IntFunction;

/** What every batch writer uses: a bulk insert from arrays, and steps run one after the other. */
final class SqlBatch {

    private SqlBatch() {}

    /** Runs one statement whose parameters are arrays (unnest), returning the rows it wrote. */
    static Uni<Integer> insert(SqlConnection connection, String sql, Object... parameters) {
        return connection
                .preparedQuery(sql)
                .execute(Tuple.from(Arrays.asList(parameters)))
                .map(rows -> rows.rowCount());
    }

    /** Runs {@code count} steps one after the other, each subscribed when the one before has finished. */
    static Uni<Void> inSequence(int count, IntFunction<Uni<?>> step) {
        return Multi.createFrom()
                .range(0, count)
                .onItem()
                .transformToUniAndConcatenate(step::apply)
                .collect()
                .last()
                .replaceWithVoid();
    }
}
