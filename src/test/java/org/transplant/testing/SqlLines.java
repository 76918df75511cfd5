package org.transplant.testing;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/** A query's rows as lines ("a|b|c"): what tests compare to prove that a refusal changed nothing. */
public final class SqlLines {

    private SqlLines() {}

    public static List<String> of(Pool pool, String query) {
        try {
            return VertxContextSupport.<List<String>>subscribeAndAwait(() -> pool.query(query)
                    .execute()
                    .map(rows -> {
                        List<String> lines = new ArrayList<>();
                        for (Row row : rows) {
                            StringBuilder line = new StringBuilder();
                            for (int i = 0; i < row.size(); i++) {
                                line.append(i > 0 ? "|" : "").append(row.getValue(i));
                            }
                            lines.add(line.toString());
                        }
                        return lines;
                    }));
        } catch (Throwable e) {
            throw new IllegalStateException(query, e);
        }
    }
}
