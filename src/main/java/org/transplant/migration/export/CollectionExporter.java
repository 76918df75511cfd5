package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * One collection of the Migration API: reads up to {@code limit} items after a keyset position, oldest first,
 * within a window. {@link Exports} turns it into pages and streams.
 */
public interface CollectionExporter<T> {

    /** The collection's name in paths and cursors. */
    String name();

    Uni<List<Keyed<T>>> fetch(ExportScope scope, Window window, Position after, int limit);

    /** An item with its keyset position. */
    record Keyed<T>(T item, Instant createdAt, String key) {}

    /** Where the last page ended; null before the first. */
    record Position(Instant createdAt, String key) {}

    /**
     * What one export reads: rows with a change sequence up to {@code snapshot} (and after {@code changedAfter}
     * for a delta), created between {@code since} and {@code until} when they are set.
     */
    record Window(long snapshot, Instant snapshotAt, Instant since, Instant until, Long changedAfter) {

        /** The smallest change sequence included: 1 for a full export, changedAfter + 1 for a delta. */
        public long fromSeq() {
            return changedAfter == null ? 0 : changedAfter + 1;
        }
    }
}
