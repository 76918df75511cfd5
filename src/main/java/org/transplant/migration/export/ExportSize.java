package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * About how large an export of an account is, before it is made: the stored size of its records (posts with their
 * comments and likes, contacts, conversations with their messages, photos' records) and of its photo files, so that
 * a person choosing what an archive holds sees the weight of each choice. Records compress in an archive; photos do
 * not.
 */
@ApplicationScoped
public class ExportSize {

    /** Records in bytes as stored, and photo files in bytes (and how many). */
    public record Size(long recordBytes, long photoBytes, long photos) {

        /** The archive's rough size with its photos: records shrink to about half once compressed. */
        public long withPhotos() {
            return withoutPhotos() + photoBytes;
        }

        public long withoutPhotos() {
            return recordBytes / 2 + 4096;
        }
    }

    private final Pool pool;

    public ExportSize(Pool pool) {
        this.pool = pool;
    }

    public Uni<Size> of(long accountId) {
        return pool.preparedQuery("SELECT"
                        + " (SELECT coalesce(sum(pg_column_size(p.*)), 0) FROM posts p WHERE p.account_id = $1)"
                        + " + (SELECT coalesce(sum(pg_column_size(c.*)), 0) FROM comments c JOIN posts p"
                        + "   ON p.id = c.post_id WHERE p.account_id = $1)"
                        + " + (SELECT coalesce(sum(pg_column_size(l.*)), 0) FROM likes l JOIN posts p"
                        + "   ON p.id = l.post_id WHERE p.account_id = $1)"
                        + " + (SELECT coalesce(sum(pg_column_size(k.*)), 0) FROM contacts k WHERE k.account_id = $1)"
                        + " + (SELECT coalesce(sum(pg_column_size(m.*)), 0) FROM conversation_participants cp"
                        + "   JOIN messages m ON m.conversation_id = cp.conversation_id WHERE cp.account_id = $1)"
                        + " + (SELECT coalesce(sum(pg_column_size(f.*)), 0) FROM photos f WHERE f.account_id = $1),"
                        + " (SELECT coalesce(sum(size_bytes), 0) FROM photos WHERE account_id = $1"
                        + "   AND file_name IS NOT NULL),"
                        + " (SELECT count(*) FROM photos WHERE account_id = $1 AND file_name IS NOT NULL)")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Size(row.getLong(0), row.getLong(1), row.getLong(2));
                });
    }
}
