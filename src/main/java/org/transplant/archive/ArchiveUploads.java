package org.transplant.archive;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.reactive.OnePass;
import org.transplant.pod.session.SessionTokens;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Archives uploaded to this pod in parts, before the person has an account here: each part is at most
 * {@link #MAX_PART_BYTES} (within the pod's body limit, which holds for every request), appended in order, so that
 * a large archive streams to disk and a broken upload resumes where it stopped. The whole size is announced first
 * and bounded, and so is what one client's uploads under way, and all of them, may announce together; an upload is
 * removed once imported, {@link #IDLE} after its last part while unfinished, or after
 * {@code TRANSPLANT_ARCHIVES_UPLOAD_KEEP}. Its
 * id (random, 22 characters) is the only key to it.
 */
@ApplicationScoped
public class ArchiveUploads {

    /** The largest part one request adds. */
    public static final int MAX_PART_BYTES = 8 << 20;

    /** An upload to which no part came for this long is gone (its room is another's). */
    static final Duration IDLE = Duration.ofMinutes(15);

    private static final Logger LOG = Logger.getLogger(ArchiveUploads.class);

    /** An upload: its announced size and what arrived so far. */
    public record Upload(String id, long bytes, long received) {
        public boolean whole() {
            return received == bytes;
        }

        static Upload of(Row row) {
            return new Upload(row.getString("id"), row.getLong("bytes"), row.getLong("received"));
        }
    }

    private final OnePass passes = new OnePass(LOG, "Upload removal");
    private final Pool pool;
    private final WorkerPool workers;
    private final TransplantConfig config;

    public ArchiveUploads(Pool pool, WorkerPool workers, TransplantConfig config) {
        this.pool = pool;
        this.workers = workers;
        this.config = config;
    }

    Path folder() {
        return Path.of(config.dataDir(), "uploads").toAbsolutePath();
    }

    Path fileOf(String id) {
        return folder().resolve(id + ".upload");
    }

    /**
     * A new upload of {@code bytes}; 413 past the largest archive, 429 while the client's own uploads under way hold
     * one largest archive already, 503 while what all uploads under way wrote fills the pod's room for them (bytes
     * on disk count there, not sizes announced: an announcement alone holds no one else's room). The file is made
     * first, so that a row never names a file that could not be made.
     */
    Uni<Upload> create(long bytes, String client) {
        if (bytes <= 0) {
            throw ProblemException.invalid("bytes", "must be the archive's size in bytes");
        }
        if (bytes > config.archives().maxUploadBytes()) {
            throw ProblemException.tooLarge(
                    "This pod takes archives of at most " + config.archives().maxUploadBytes() + " bytes");
        }
        String id = SessionTokens.newToken().substring(0, 22);
        return workers.files(() ->
                        Files.createFile(OwnerOnlyFiles.folder(folder()).resolve(id + ".upload"), OwnerOnlyFiles.FILE))
                .chain(() -> pool.withTransaction(c -> c.query(
                                "SELECT pg_advisory_xact_lock(hashtext('archive_uploads'))")
                        .execute()
                        .chain(() -> c.preparedQuery("SELECT coalesce(sum(received), 0) AS total, coalesce(sum(bytes)"
                                        + " FILTER (WHERE client = $1), 0) AS mine FROM archive_uploads WHERE"
                                        + " expires_at > now()")
                                .execute(Tuple.of(client)))
                        .chain(held -> {
                            Row row = held.iterator().next();
                            if (row.getLong("mine") + bytes > config.archives().maxUploadBytes()) {
                                throw ProblemException.tooManyRequests("Your uploads under way hold "
                                        + row.getLong("mine") + " bytes already; finish or remove them first");
                            }
                            if (row.getLong("total") >= config.archives().maxUploadsBytes()) {
                                throw uploadsFull();
                            }
                            return c.preparedQuery("INSERT INTO archive_uploads (id, bytes, client, expires_at)"
                                            + " VALUES ($1, $2, $3, now() + $4 * interval '1 second') RETURNING *")
                                    .execute(Tuple.of(id, bytes, client, idleSeconds()));
                        })))
                .map(rows -> Upload.of(rows.iterator().next()))
                .onFailure()
                .call(() -> workers.files(() -> Files.deleteIfExists(fileOf(id))));
    }

    /** All uploads under way hold the room this pod gives them, on its disk. */
    private static ProblemException uploadsFull() {
        return new ProblemException(Problem.of(
                503, "uploads-full", "Uploads full", "This pod takes no more uploads for now; try again later"));
    }

    /**
     * An unfinished upload lives while parts arrive: {@link #IDLE} past its last one, and never past the keep; a
     * whole one is kept its full time (the person may retry its password).
     */
    private long idleSeconds() {
        return Math.min(IDLE.toSeconds(), config.archives().uploadKeep().toSeconds());
    }

    /** The upload {@code id}; 404 when there is none (or it is past its time). */
    Uni<Upload> get(String id) {
        return pool.preparedQuery("SELECT * FROM archive_uploads WHERE id = $1 AND expires_at > now()")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("The upload " + id);
                    }
                    return Upload.of(rows.iterator().next());
                });
    }

    /**
     * Appends {@code part} at {@code start}, which must be where the upload stands (409 otherwise, so that a
     * client resumes from what arrived); a part past the announced size is a 400. The row stays locked while the
     * part is written, so that of two parts sent to one place, the file holds the one the row counts.
     */
    Uni<Upload> append(String id, long start, byte[] part) {
        if (part.length == 0 || part.length > MAX_PART_BYTES) {
            throw ProblemException.badRequest("bad-part", "A part holds 1 to " + MAX_PART_BYTES + " bytes");
        }
        return pool.withTransaction(c -> c.preparedQuery(
                                "SELECT * FROM archive_uploads WHERE id = $1 AND expires_at > now() FOR UPDATE")
                        .execute(Tuple.of(id))
                        .chain(rows -> {
                            if (!rows.iterator().hasNext()) {
                                throw ProblemException.notFound("The upload " + id);
                            }
                            Upload upload = Upload.of(rows.iterator().next());
                            if (start != upload.received()) {
                                throw ProblemException.conflict(
                                        "upload-offset",
                                        "The upload stands at byte " + upload.received() + "; send from there");
                            }
                            if (start + part.length > upload.bytes()) {
                                throw ProblemException.badRequest(
                                        "bad-part", "The part goes past the " + upload.bytes() + " bytes announced");
                            }
                            return c.preparedQuery("SELECT coalesce(sum(received), 0) FROM archive_uploads WHERE"
                                            + " expires_at > now()")
                                    .execute()
                                    .invoke(held -> {
                                        if (held.iterator().next().getLong(0) + part.length
                                                > config.archives().maxUploadsBytes()) {
                                            throw uploadsFull();
                                        }
                                    })
                                    .chain(() -> workers.files(() -> write(fileOf(id), start, part)))
                                    // The sweep took the file of an upload just past its time.
                                    .onFailure(e -> e.getCause() instanceof NoSuchFileException)
                                    .transform(gone -> ProblemException.notFound("The upload " + id));
                        })
                        .chain(() -> c.preparedQuery("UPDATE archive_uploads SET received = $2, expires_at ="
                                        + " CASE WHEN $2 = bytes THEN created_at + $3 * interval '1 second' ELSE"
                                        + " least(created_at + $3 * interval '1 second', now() + $4 * interval"
                                        + " '1 second') END WHERE id = $1 RETURNING *")
                                .execute(Tuple.of(
                                        id,
                                        start + part.length,
                                        config.archives().uploadKeep().toSeconds(),
                                        idleSeconds()))))
                .map(rows -> Upload.of(rows.iterator().next()));
    }

    private static void write(Path file, long start, byte[] part) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(part);
            long at = start;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        }
    }

    /** Removes the upload and its file. */
    Uni<Void> remove(String id) {
        return pool.preparedQuery("DELETE FROM archive_uploads WHERE id = $1")
                .execute(Tuple.of(id))
                .chain(() -> workers.files(() -> Files.deleteIfExists(fileOf(id))));
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        passes.run(this::removeExpired);
    }

    /**
     * Removes the uploads past their time and any file no upload owns (the folder is listed before the uploads
     * are read, so that one begun in between keeps its file).
     */
    Uni<Void> removeExpired() {
        return workers.run(() -> OwnerOnlyFiles.entries(folder()))
                .chain(files -> pool.preparedQuery("DELETE FROM archive_uploads WHERE expires_at <= now()")
                        .execute()
                        .chain(() -> pool.preparedQuery("SELECT id FROM archive_uploads")
                                .execute())
                        .chain(rows -> {
                            Set<String> live = new HashSet<>();
                            rows.forEach(row -> live.add(row.getString(0) + ".upload"));
                            return workers.files(() -> {
                                for (Path file : files) {
                                    if (!live.contains(file.getFileName().toString())) {
                                        OwnerOnlyFiles.removeQuietly(file);
                                    }
                                }
                            });
                        }));
    }
}
