package org.transplant.archive;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** An archive the person asked for, as its row holds it (the sealed password is never in this record). */
public record ArchiveJob(
        String id,
        long accountId,
        State state,
        String step,
        PhotoChoice photos,
        Long bytes,
        String sha256,
        String error,
        Instant createdAt,
        Instant readyAt,
        Instant expiresAt,
        int attempts) {

    /** Whether it can be downloaded. */
    public boolean ready() {
        return state == State.READY;
    }

    /** The archive's file name: each attempt writes its own, so a writer that lost its lease spoils nothing. */
    String fileName() {
        return id + "." + attempts + ".tar";
    }

    /** Where an archive is: waiting, being written, downloadable, failed, or removed after its time. */
    public enum State {
        QUEUED,
        WRITING,
        READY,
        FAILED,
        EXPIRED
    }

    static final String COLUMNS =
            "id, account_id, state, step, photos, bytes, sha256, error, created_at, ready_at, expires_at, attempts";

    static ArchiveJob of(Row row) {
        return new ArchiveJob(
                row.getString("id"),
                row.getLong("account_id"),
                State.valueOf(row.getString("state")),
                row.getString("step"),
                PhotoChoice.of(row.getString("photos")),
                row.getLong("bytes"),
                row.getString("sha256"),
                row.getString("error"),
                instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("ready_at")),
                instant(row.getOffsetDateTime("expires_at")),
                row.getInteger("attempts"));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
