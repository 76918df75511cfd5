package org.transplant.pod.cleanup;

import io.smallrye.mutiny.Uni;

/**
 * Rows a feature no longer needs (expired sessions, spent codes, …), deleted a batch at a time by the
 * {@link CleanupPass}. The feature that owns the table says which rows are stale; the pass only schedules.
 */
public interface StaleRows {

    /** What the rows are, for the log: "expired sessions". */
    String what();

    /** Deletes at most {@code max} stale rows in one short statement; returns how many it deleted. */
    Uni<Integer> deleteSome(int max);
}
