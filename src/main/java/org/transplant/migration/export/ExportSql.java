package org.transplant.migration.export;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.transplant.migration.export.CollectionExporter.Position;
import org.transplant.migration.export.CollectionExporter.Window;

/**
 * The parameters every keyset read binds: a window and a position as plain values, open ends as far-away times so
 * that one statement (and one index range) serves every filter combination.
 */
final class ExportSql {

    static final OffsetDateTime BEGINNING = OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime END = OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private ExportSql() {}

    static OffsetDateTime since(Window window) {
        return window.since() == null ? BEGINNING : utc(window.since());
    }

    static OffsetDateTime until(Window window) {
        return window.until() == null ? END : utc(window.until());
    }

    /** The snapshot's time, for tables without a change sequence; open when the window has none. */
    static OffsetDateTime snapshotAt(Window window) {
        return window.snapshotAt() == null ? END : utc(window.snapshotAt());
    }

    static OffsetDateTime afterTime(Position after) {
        return after == null ? BEGINNING.minusYears(1) : utc(after.createdAt());
    }

    static String afterKey(Position after) {
        return after == null ? "" : after.key();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
