package org.transplant.web;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Failures PostgreSQL reports when it parts two transactions that got in each other's way: a deadlock (40P01) or a
 * serialization failure (40001). Writes take their accounts' rows in one order so these should not happen; when one
 * does, the caller is told to try again (503), never that the pod broke (500).
 */
final class TransactionConflicts {

    private static final Set<String> RETRYABLE = Set.of("40P01", "40001");

    private TransactionConflicts() {}

    static boolean isRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && RETRYABLE.contains(pg.getSqlState())) {
                return true;
            }
            if (t instanceof SQLException sql && RETRYABLE.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
