package org.transplant.migration.importer;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import org.transplant.pod.database.Rows;

/** One import job row as the runner and the progress views read it (tokens still sealed). */
public record ImportJob(
        String id,
        long accountId,
        String oldHandle,
        String newHandle,
        Long remotePodId,
        String photoMode,
        JobState state,
        String accessToken,
        String refreshToken,
        Long snapshot,
        Long deltaAfter,
        JsonObject totals,
        JsonObject done,
        String phase,
        String cursor,
        String error,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        String noticesUrl,
        JsonObject notices,
        String sourceFolder,
        boolean fromArchive,
        String oldKeySealed,
        boolean oldKeyMatched,
        String oldAccount,
        String oldAccountReason,
        String archiveSha256,
        String archiveFormat) {

    /** Whether the job imports a diaspora* export (its old pod closes no account for another pod). */
    boolean fromDiaspora() {
        return FolderImport.Format.DIASPORA.name().equals(archiveFormat);
    }

    /** Whether the job imports a packed backup: it holds no key, so the import is of the data only. */
    boolean fromBackup() {
        return FolderImport.Format.BACKUP.name().equals(archiveFormat);
    }

    /**
     * The old identity as far as the source proves it: the old pod's log-in vouches for the handle of an import
     * over the Migration API; an archive is signed by the key it carries, so it vouches only when that key is the
     * one the network knows for the handle. A folder vouches for nothing: there the mover is only the new account,
     * and joins no conversation that lives here already under the handle the folder claims.
     */
    String provenOldHandle() {
        return remotePodId != null || (fromArchive && oldKeyMatched) ? oldHandle : newHandle;
    }

    static ImportJob of(Row r) {
        return new ImportJob(
                r.getString("id"),
                r.getLong("account_id"),
                r.getString("old_handle"),
                r.getString("new_handle"),
                r.getLong("remote_pod_id"),
                r.getString("photo_mode"),
                JobState.valueOf(r.getString("state")),
                r.getString("access_token"),
                r.getString("refresh_token"),
                r.getLong("snapshot"),
                r.getLong("delta_after"),
                toJson(r.getValue("totals")),
                toJson(r.getValue("done")),
                r.getString("phase"),
                r.getString("cursor"),
                r.getString("error"),
                r.getInteger("attempts"),
                Rows.instant(r, "created_at"),
                Rows.instant(r, "updated_at"),
                r.getString("notices_url"),
                r.getValue("notices") instanceof JsonObject json ? json : null,
                r.getString("source_folder"),
                r.getBoolean("from_archive"),
                r.getString("old_key_sealed"),
                r.getBoolean("old_key_matched"),
                r.getString("old_account"),
                r.getString("old_account_reason"),
                r.getString("archive_sha256"),
                r.getString("archive_format"));
    }

    private static JsonObject toJson(Object value) {
        return value instanceof JsonObject json ? json : new JsonObject();
    }

    /** Whether the job reads a folder of the export's files rather than an old pod. */
    public boolean fromFolder() {
        return sourceFolder != null;
    }

    /** Whether the job still moves on by itself. */
    public boolean running() {
        return state.running();
    }
}
