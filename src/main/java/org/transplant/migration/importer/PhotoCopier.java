package org.transplant.migration.importer;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.migration.importer.PhotoOutcome.AlreadyHere;
import org.transplant.migration.importer.PhotoOutcome.Copied;
import org.transplant.migration.importer.PhotoOutcome.Linked;
import org.transplant.migration.importer.PhotoRefused.Reason;
import org.transplant.migration.importer.RemotePods.RemotePod;
import org.transplant.outbound.OutboundRefused;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.Sha256;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.photo.ImageInspector;
import org.transplant.pod.photo.ImageInspector.ImageInfo;
import org.transplant.pod.photo.PhotoStore;

/**
 * Brings a page of an old pod's photos here (or links them) before their rows are written, trusting nothing the
 * old pod says about them: a guid of the wrong shape, or one another account here uses, is left out; the bytes
 * stop at this pod's upload limit, must match the announced sha256 (else the transfer is retried) and must be a
 * real PNG, JPEG or GIF, whose type, pixel size and byte size come from the bytes; the file gets a name of this
 * pod's own. What is left out is a {@link PhotoRefused}; the job goes on without it.
 */
@ApplicationScoped
public class PhotoCopier {

    private static final Logger LOG = Logger.getLogger(PhotoCopier.class);

    /** Photo transfers at once per job: enough to hide each one's latency, few enough to be polite. */
    private static final int PHOTO_TRANSFERS = 8;

    private final OldPodApi api;
    private final PhotoStore store;
    private final WorkerPool workers;
    private final Pool pool;
    private final long maxBytes;

    public PhotoCopier(OldPodApi api, PhotoStore store, WorkerPool workers, Pool pool, TransplantConfig config) {
        this.api = api;
        this.store = store;
        this.workers = workers;
        this.pool = pool;
        this.maxBytes = config.photos().maxBytes();
    }

    /** One outcome per item of the page, in its order. */
    public Uni<List<PhotoOutcome>> copyPage(ImportJob job, RemotePod pod, JsonArray items) {
        PhotoOutcome[] outcomes = new PhotoOutcome[items.size()];
        List<String> guids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object guid = items.getValue(i) instanceof JsonObject photo ? photo.getValue("guid") : null;
            if (guid instanceof String text && Guids.isValid(text)) {
                guids.add(text);
            } else {
                outcomes[i] = PhotoRefused.of(guid, Reason.MALFORMED_GUID);
            }
        }
        return owners(guids).chain(owners -> {
            List<Uni<Void>> copies = new ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            for (int i = 0; i < items.size(); i++) {
                if (outcomes[i] != null) {
                    continue;
                }
                int at = i;
                JsonObject photo = items.getJsonObject(i);
                String guid = photo.getString("guid");
                Long owner = owners.get(guid);
                if (owner != null) {
                    outcomes[i] = owner == job.accountId() ? new AlreadyHere(guid)
                            : PhotoRefused.of(guid, Reason.GUID_TAKEN);
                } else if ("LINK".equals(job.photoMode())) {
                    // The guid's shape was checked: it cannot turn this into another URL.
                    outcomes[i] = new Linked(guid, pod.issuer() + "/photos/" + guid);
                } else {
                    // A failed transfer does not call off the others: each keeps what it got (its part file) for
                    // the next attempt, which then asks only for the rest.
                    copies.add(copy(job, pod, photo).invoke(outcome -> outcomes[at] = outcome).replaceWithVoid()
                            .onFailure().invoke(e -> failed.compareAndSet(null, e)).onFailure().recoverWithNull());
                }
            }
            // At most PHOTO_TRANSFERS photos in memory at once: each is on disk before the next one starts.
            Uni<Void> all = copies.isEmpty() ? Uni.createFrom().voidItem()
                    : Multi.createFrom().iterable(copies).onItem().transformToUni(copy -> copy)
                            .merge(PHOTO_TRANSFERS).collect().last().replaceWithVoid();
            // One transfer failing fails the page (it is tried again): the photos already stored go, or they would
            // stay behind as files no row names, a page after page.
            return all.invoke(() -> {
                if (failed.get() != null) {
                    throw failed.get() instanceof RuntimeException e ? e : new IllegalStateException(failed.get());
                }
            }).replaceWith(() -> List.of(outcomes))
                    .onFailure().call(() -> discardAll(java.util.Arrays.asList(outcomes)));
        }).invoke(list -> list.forEach(outcome -> {
            if (outcome instanceof PhotoRefused refused) {
                LOG.warnf("Import %s: photo %s left out: %s", job.id(), Guids.isValid(refused.guid())
                        ? refused.guid() : "with a malformed guid", refused.reason().words());
            }
        }));
    }

    /** Removes the files of copied photos whose rows were not written (the guid came here meanwhile). */
    public Uni<Void> discardUnwritten(List<PhotoOutcome> outcomes, Collection<String> writtenFiles) {
        List<String> unused = new ArrayList<>();
        for (PhotoOutcome outcome : outcomes) {
            if (outcome instanceof Copied copied && !writtenFiles.contains(copied.fileName())) {
                unused.add(copied.fileName());
            }
        }
        return unused.isEmpty() ? Uni.createFrom().voidItem() : workers.run(() -> {
            unused.forEach(store::delete);
            return null;
        });
    }

    /** Removes the files of every copied photo of a page whose rows were not committed. */
    public Uni<Void> discardAll(List<PhotoOutcome> outcomes) {
        return discardUnwritten(outcomes, List.of());
    }

    /** Which account here holds each of these guids already. */
    private Uni<Map<String, Long>> owners(List<String> guids) {
        if (guids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT guid, account_id FROM photos WHERE guid = ANY($1)")
                .execute(Tuple.of(guids.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Long> owners = new HashMap<>();
                    for (Row row : rows) {
                        owners.put(row.getString("guid"), row.getLong("account_id"));
                    }
                    return owners;
                });
    }

    /**
     * One photo's bytes into the store: appended to a part file (an attempt cut off mid-file goes on from where
     * it stopped, with Range) that never grows beyond the limit, checked against the announced sha256 and by
     * content, then moved into place under a new name.
     */
    private Uni<PhotoOutcome> copy(ImportJob job, RemotePod pod, JsonObject photo) {
        String guid = photo.getString("guid");
        Path part = store.partOf(PhotoStore.partKey(job.id(), guid));
        return workers.run(() -> {
            try {
                Files.createDirectories(part.getParent());
                return Files.exists(part) ? Files.size(part) : 0L;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).chain(have -> have > maxBytes ? Uni.createFrom().failure(new OutboundRefused.TooLarge("more than " + maxBytes + " bytes"))
                : api.appendBytes(job, pod, "/migration/v1/photos/" + guid + "/content", part.toString(), have,
                        maxBytes))
                .chain(status -> workers.run(() -> adopt(guid, part, photo.getValue("sha256"))))
                .onFailure(OutboundRefused.TooLarge.class).recoverWithUni(e -> workers.run(() -> {
                    deleteQuietly(part);
                    return PhotoRefused.of(guid, Reason.TOO_LARGE);
                }));
    }

    /** The checks on a complete part file, then its move into the store. Blocking. */
    private PhotoOutcome adopt(String guid, Path part, Object announcedSha) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(part);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha = Sha256.hex(bytes);
        if (!sha.equals(announcedSha)) {
            deleteQuietly(part);
            // Damaged on the way (or changed): the page is read and copied again.
            throw new CallFailed(0, "Photo " + guid + " arrived damaged (its sha256 is not the announced one)", 0,
                    true);
        }
        ImageInfo image = ImageInspector.identify(bytes);
        if (image == null || !image.sizeSupported()) {
            deleteQuietly(part);
            return PhotoRefused.of(guid, image == null ? Reason.NOT_AN_IMAGE : Reason.UNSUPPORTED_SIZE);
        }
        String fileName = store.adopt(part, image.extension());
        return new Copied(guid, fileName, image, bytes.length, sha);
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
