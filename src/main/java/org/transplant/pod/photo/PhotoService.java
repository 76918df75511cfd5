package org.transplant.pod.photo;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.Guids;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountGuard;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.post.PostQueries;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** Takes uploads (checked by content, written to disk off the event loop) and finds photos a viewer may see. */
@ApplicationScoped
public class PhotoService {

    /** Photos one post may carry. */
    public static final int MAX_PER_POST = 32;

    private final PhotoStore store;
    private final WorkerPool workers;
    private final ChangeSequence sequence;
    private final AccountGuard guard;
    private final PodUrls urls;
    private final Pool pool;
    private final long maxBytes;

    public PhotoService(
            PhotoStore store,
            WorkerPool workers,
            ChangeSequence sequence,
            AccountGuard guard,
            PodUrls urls,
            Pool pool,
            TransplantConfig config) {
        this.store = store;
        this.workers = workers;
        this.sequence = sequence;
        this.guard = guard;
        this.urls = urls;
        this.pool = pool;
        this.maxBytes = config.photos().maxBytes();
    }

    /** A photo ready to serve: where its bytes are and how to label them. */
    /** A photo's bytes here ({@code path}), or where they were kept when it was imported as a link. */
    public record PhotoFile(Path path, String remoteUrl, String contentType, String sha256, long size) {}

    public Uni<PhotoView> upload(SignedIn owner, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw ProblemException.invalid("photo", "the upload is empty");
        }
        if (bytes.length > maxBytes) {
            throw ProblemException.tooLarge("A photo may have at most " + maxBytes + " bytes");
        }
        String guid = Guids.next();
        return workers.run(() -> ImageInspector.inspect(bytes))
                .chain(info -> workers.run(() -> store.store(guid + "." + info.extension(), bytes))
                        .chain(stored -> Panache.withTransaction(() -> guard.requireActive(owner.accountId())
                                        .chain(() -> sequence.next(owner.accountId()))
                                        .chain(seq -> {
                                            Photo photo = new Photo();
                                            photo.guid = guid;
                                            photo.accountId = owner.accountId();
                                            photo.fileName = stored.fileName();
                                            photo.contentType = info.contentType();
                                            photo.sizeBytes = stored.size();
                                            photo.sha256 = stored.sha256();
                                            photo.width = info.width();
                                            photo.height = info.height();
                                            photo.seq = seq;
                                            photo.createdAt = Instant.now();
                                            return photo.<Photo>persist();
                                        }))
                                // The row is the truth: a file whose row did not commit is removed again.
                                .onFailure()
                                .call(e -> workers.run(() -> {
                                    store.delete(stored.fileName());
                                    return null;
                                }))))
                .map(photo -> PhotoView.of(photo, urls.url("/photos/" + photo.guid)));
    }

    /**
     * Takes back a photo its owner uploaded for a post that was then refused (the share form sends both at once):
     * the row, with a tombstone since an export may have seen it in between, and the file. A photo already in a
     * post stays.
     */
    /**
     * Takes back the photos a refused post named, if they are the owner's and still on no post: one request, one
     * outcome, so a refused post leaves no upload behind. At most the first {@link #MAX_PER_POST} names are looked at,
     * since a refused request may name any number.
     */
    public Uni<Void> discardUnposted(SignedIn owner, List<String> guids) {
        if (guids == null || guids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        for (String guid : guids.stream().limit(MAX_PER_POST).toList()) {
            if (guid != null) {
                all = all.chain(() -> discardUnposted(owner, guid));
            }
        }
        return all;
    }

    public Uni<Void> discardUnposted(SignedIn owner, String guid) {
        return Panache.withTransaction(() -> Photo.<Photo>find(
                                "guid = ?1 and accountId = ?2 and postId is null", guid, owner.accountId())
                        .firstResult()
                        .chain(photo -> photo == null
                                ? Uni.createFrom().<String>nullItem()
                                : sequence.tombstone(owner.accountId(), "photo", guid)
                                        .chain(photo::delete)
                                        .replaceWith(photo.fileName)))
                .chain(fileName -> fileName == null
                        ? Uni.createFrom().voidItem()
                        : workers.run(() -> {
                                    store.delete(fileName);
                                    return null;
                                })
                                .replaceWithVoid());
    }

    /** The file of a photo the viewer may see; null otherwise (unknown and hidden look the same). */
    public Uni<PhotoFile> visibleFile(String guid, long viewerId, String viewerHandle) {
        return pool.preparedQuery("SELECT ph.file_name, ph.remote_url, ph.content_type, ph.sha256, ph.size_bytes"
                        + " FROM photos ph"
                        + " LEFT JOIN posts p ON p.id = ph.post_id WHERE ph.guid = $1 AND (ph.account_id = $2"
                        + " OR (ph.post_id IS NULL AND ph.public) OR (p.id IS NOT NULL AND " + PostQueries.VISIBLE
                        + "))")
                .execute(Tuple.of(guid, viewerId, viewerHandle))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null)
                .map(row -> row == null
                        ? null
                        : new PhotoFile(
                                row.getString("file_name") == null ? null : store.resolve(row.getString("file_name")),
                                row.getString("remote_url"),
                                row.getString("content_type"),
                                row.getString("sha256"),
                                row.getLong("size_bytes")));
    }
}
