package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Finds the file of one of the token account's own photos, and for a span-limited token only one created within
 * the span. Anything else is a 404, so a guid of someone else's photo reveals nothing.
 */
@ApplicationScoped
public class PhotoContent {

    private final Pool pool;
    private final PhotoStore store;
    private final WorkerPool workers;

    public PhotoContent(Pool pool, PhotoStore store, WorkerPool workers) {
        this.pool = pool;
        this.store = store;
        this.workers = workers;
    }

    /** A photo's bytes on disk and what the response says about them. */
    public record StoredPhoto(Path path, String contentType, long size, String sha256) {

        public String etag() {
            return "\"" + sha256 + "\"";
        }

        /** The digest as RFC 9530 structured-field bytes, e.g. {@code sha-256=:…:}. */
        public String reprDigest() {
            return "sha-256=:" + base64Digest() + ":";
        }

        /** The RFC 3230 form older clients read, e.g. {@code sha-256=…}. */
        public String legacyDigest() {
            return "sha-256=" + base64Digest();
        }

        private String base64Digest() {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
        }
    }

    public Uni<StoredPhoto> find(ExportScope scope, String guid) {
        // A span-limited token opens only photos created within its span; other tokens have no span.
        Instant from = scope.from(null);
        Instant until = scope.until(null);
        return pool.preparedQuery("SELECT file_name, content_type, size_bytes, sha256 FROM photos"
                        + " WHERE guid = $1 AND account_id = $2 AND created_at >= $3 AND created_at <= $4")
                .execute(Tuple.from(Arrays.asList(
                        guid,
                        scope.accountId(),
                        from == null ? ExportSql.BEGINNING : ExportSql.utc(from),
                        until == null ? ExportSql.END : ExportSql.utc(until))))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw scope.notFound("photo", guid);
                    }
                    Row r = rows.iterator().next();
                    if (r.getString("file_name") == null) {
                        // Imported as a link: its bytes stayed on the pod it came from.
                        throw new ProblemException(Problem.of(
                                404,
                                "photo-file-missing",
                                "Photo file missing",
                                "Photo " + guid + " was kept on the pod it came from; this pod has only a link"));
                    }
                    return new StoredPhoto(
                            store.resolve(r.getString("file_name")),
                            r.getString("content_type"),
                            r.getLong("size_bytes"),
                            r.getString("sha256"));
                })
                // Checked before any header leaves: once the file is being sent, a failure can only cut the stream.
                .call(photo -> workers.run(() -> {
                    if (!Files.isRegularFile(photo.path())) {
                        throw new ProblemException(Problem.of(
                                404,
                                "photo-file-missing",
                                "Photo file missing",
                                "This pod has the record of photo " + guid + " but not its bytes"));
                    }
                    return photo;
                }));
    }
}
