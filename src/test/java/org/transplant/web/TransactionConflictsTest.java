package org.transplant.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletionException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

/** Which database failures become a 503 "send it again" instead of a 500. */
class TransactionConflictsTest {

    @Test
    void deadlocksAndSerializationFailuresAreRetryableHoweverDeeplyWrapped() {
        PgException deadlock = new PgException("deadlock detected", "ERROR", "40P01", null);
        PgException serialization = new PgException("could not serialize access", "ERROR", "40001", null);

        assertThat(TransactionConflicts.isRetryable(deadlock)).isTrue();
        assertThat(TransactionConflicts.isRetryable(serialization)).isTrue();
        assertThat(TransactionConflicts.isRetryable(
                        new CompletionException(new HibernateException("flush failed", deadlock))))
                .isTrue();
    }

    @Test
    void otherFailuresStayInternalErrors() {
        assertThat(TransactionConflicts.isRetryable(new PgException("duplicate key", "ERROR", "23505", null)))
                .isFalse();
        assertThat(TransactionConflicts.isRetryable(new IllegalStateException("a bug")))
                .isFalse();
    }
}
