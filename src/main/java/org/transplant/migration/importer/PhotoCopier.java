package org.transplant.migration.importer;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.migration.importer.PhotoOutcome.AlreadyHere;
import org.transplant.migration.importer.PhotoOutcome.Copied;
import org.transplant.migration.importer.PhotoOutcome.Linked;
import org.transplant.migration.importer.PhotoRefused.Reason;
import org.transplant.outbound.OutboundRefused;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.Sha256;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.photo.ImageInspector;
import org.transplant.pod.photo.ImageInspector.ImageInfo;
import org.transplant.pod.photo.PhotoOwners;
import org.transplant.pod.photo.PhotoStore;

/**
 * Brings a page of an old pod's photos here (or links them) before their rows are written, trusting nothing the
 * old pod says about them: a guid of the wrong shape, or one another account here uses, is left out; the bytes
 * stop at this pod's upload limit, must match the announced sha256 (else they are asked for once more) and must be
 * a real PNG, JPEG or GIF, whose type, pixel size and byte size come from the bytes; the file gets a name of this
 * pod's own. What is left out is a {@link PhotoRefused}; the job goes on without it. All the photos a job stores
 * stay within a quota; past it, the job ends.
 */
@ApplicationScoped
public class PhotoCopier {

    private static final Logger LOG = Logger.getLogger(PhotoCopier.class);

    /** Photo transfers at once per job: enough to hide each one's latency, few enough to be polite. */
    private static final int PHOTO_TRANSFERS = 8;

    private final PhotoStore store;
    private final WorkerPool workers;
    private final PhotoOwners photoOwners;
    private final long maxBytes;
    private final long maxBytesPerImport;

    public PhotoCopier(PhotoStore store, WorkerPool workers, PhotoOwners photoOwners, TransplantConfig config) {
        this.store = store;
        this.workers = workers;
        this.photoOwners = photoOwners;
        this.maxBytes = config.photos().maxBytes();
        this.maxBytesPerImport = config.importer().maxPhotoBytesPerImport();
    }

    /** One outcome per item of the page, in its order. */
    public Uni<List<PhotoOutcome>> copyPage(ImportJob job, ImportSource source, List<PhotoRecord> items) {
        PhotoOutcome[] outcomes = new PhotoOutcome[items.size()];
        List<String> guids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            // RecordCheck let only guids of this shape through; it is checked again because it becomes a path.
            String guid = items.get(i).guid();
            if (guid != null && Guids.isValid(guid)) {
                guids.add(guid);
            } else {
                outcomes[i] = PhotoRefused.of(guid, Reason.MALFORMED_GUID);
            }
        }
        Quota quota = new Quota(job, maxBytesPerImport);
        // Parts of photos this page does not name were left by an earlier attempt at a page the old pod now
        // answers differently: nothing resumes them, and they must not pile up over the attempts.
        Set<Path> named =
                guids.stream().map(guid -> store.partOf(job.id(), guid)).collect(Collectors.toSet());
        return workers.run(() -> {
                    store.dropParts(job.id(), named);
                    return null;
                })
                .chain(() -> photoOwners.of(guids))
                .chain(owners -> {
                    List<Uni<Void>> copies = new ArrayList<>();
                    AtomicReference<Throwable> failed = new AtomicReference<>();
                    for (int i = 0; i < items.size(); i++) {
                        if (outcomes[i] != null) {
                            continue;
                        }
                        int at = i;
                        PhotoRecord photo = items.get(i);
                        String guid = photo.guid();
                        Long owner = owners.get(guid);
                        if (owner != null) {
                            outcomes[i] = owner == job.accountId()
                                    ? new AlreadyHere(guid)
                                    : PhotoRefused.of(guid, Reason.GUID_TAKEN);
                        } else if ("LINK".equals(job.photoMode()) && source.photoLink(guid) != null) {
                            // The guid's shape was checked: it cannot turn this into another URL.
                            outcomes[i] = new Linked(guid, source.photoLink(guid));
                        } else {
                            // A failed transfer does not call off the others: each keeps what it got (its part
                            // file) for the next attempt, which then asks only for the rest.
                            copies.add(copy(job, source, photo, quota)
                                    .invoke(outcome -> outcomes[at] = outcome)
                                    .replaceWithVoid()
                                    .onFailure()
                                    .invoke(e -> failed.compareAndSet(null, e))
                                    .onFailure()
                                    .recoverWithNull());
                        }
                    }
                    // At most PHOTO_TRANSFERS photos in memory at once: each is on disk before the next one starts.
                    Uni<Void> all = copies.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Multi.createFrom()
                                    .iterable(copies)
                                    .onItem()
                                    .transformToUni(copy -> copy)
                                    .merge(PHOTO_TRANSFERS)
                                    .collect()
                                    .last()
                                    .replaceWithVoid();
                    // One transfer failing fails the page (it is tried again): the photos already stored go, or
                    // they would stay behind as files no row names, page after page.
                    return all.invoke(() -> {
                                if (failed.get() != null) {
                                    throw failed.get() instanceof RuntimeException e
                                            ? e
                                            : new IllegalStateException(failed.get());
                                }
                            })
                            .replaceWith(() -> List.of(outcomes))
                            .onFailure()
                            .call(() -> discardAll(Arrays.asList(outcomes)))
                            .onFailure(PhotoCopier::endsJob)
                            .call(() -> dropParts(job.id()));
                })
                .invoke(list -> list.forEach(outcome -> {
                    if (outcome instanceof PhotoRefused refused) {
                        LOG.warnf(
                                "Import %s: photo %s left out: %s",
                                job.id(),
                                Guids.isValid(refused.guid()) ? refused.guid() : "with a malformed guid",
                                refused.reason().words());
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
        return unused.isEmpty()
                ? Uni.createFrom().voidItem()
                : workers.run(() -> {
                    unused.forEach(store::delete);
                    return null;
                });
    }

    /** Removes the files of every copied photo of a page whose rows were not committed. */
    public Uni<Void> discardAll(List<PhotoOutcome> outcomes) {
        return discardUnwritten(outcomes, List.of());
    }

    /** A failure after which the job does not come back for the page (not a retry, not a wait for consent). */
    private static boolean endsJob(Throwable e) {
        return e instanceof CallFailed call && !call.transientFailure && call.status != 401;
    }

    /** The part files of a job that ended (done, failed or called off): nothing will resume them. */
    public Uni<Void> dropParts(String jobId) {
        return workers.run(() -> {
            store.dropParts(jobId, Set.of());
            return null;
        });
    }

    /**
     * The photo bytes one job may store (transplant.importer.max-photo-bytes-per-import): those its committed pages
     * stored, and those the page being copied adds. The first photo that would pass the quota ends the job; the
     * page's transfers not begun yet then stop at once.
     */
    private static final class Quota {
        private final long storedBefore;
        private final long max;
        private final AtomicLong page = new AtomicLong();
        private final AtomicReference<CallFailed> exceeded = new AtomicReference<>();

        Quota(ImportJob job, long max) {
            this.storedBefore = job.done().getLong(PHOTO_BYTES, 0L);
            this.max = max;
        }

        /** Takes {@code size} bytes of the quota, or fails (for this photo and every later one of the page). */
        void take(long size) {
            long stored = storedBefore + page.addAndGet(size);
            if (stored > max) {
                passed("stored", stored);
            }
            check();
        }

        /** Records the quota as passed, with {@code bytes} the import would have {@code verb} (stored, held). */
        private void passed(String verb, long bytes) {
            String have = PageBounds.bytes(bytes), allowed = PageBounds.bytes(max);
            if (have.equals(allowed)) {
                // "4.0 GiB, more than … (4.0 GiB)" reads as a mistake: the exact counts then.
                have = String.format(Locale.ROOT, "%,d bytes", bytes);
                allowed = String.format(Locale.ROOT, "%,d bytes", max);
            }
            exceeded.compareAndSet(
                    null,
                    PageBounds.refused("This import would have " + verb + " " + have
                            + " of photos, more than this pod allows per import (" + allowed + ")"));
        }

        void check() {
            if (exceeded.get() != null) {
                throw exceeded.get();
            }
        }

        /** Fails when what is stored and {@code inParts} bytes of unfinished photos pass the quota. */
        void checkWith(long inParts) {
            long held = storedBefore + page.get() + inParts;
            if (held > max) {
                passed("held", held);
            }
            check();
        }
    }

    /** The key of {@code done} counting the bytes of the photos a job stored. */
    static final String PHOTO_BYTES = "photoBytes";

    /** What a transfer came to, besides a status of 200, 206 or 416 to check the part by. */
    private static final int GONE = -1, CUT_OFF = -2;

    /** One photo's bytes into the store, resumed from what its part file holds. */
    private Uni<PhotoOutcome> copy(ImportJob job, ImportSource source, PhotoRecord photo, Quota quota) {
        String guid = photo.guid();
        Path part = store.partOf(job.id(), guid);
        return workers.run(() -> {
                    try {
                        Files.createDirectories(part.getParent());
                        long have = sizeOf(part);
                        if (!isWhole(have, photo)) {
                            // Parts count too: bytes on disk are bytes on disk, finished or not. Each transfer adds at
                            // most the photo cap, so the quota is passed by at most that many transfers at once. (A
                            // whole part adds nothing: adopting it takes its bytes from the quota.)
                            quota.checkWith(store.partBytes(job.id()));
                        }
                        return have;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .chain(have -> {
                    if (isWhole(have, photo)) {
                        // Whole already (read ahead during the posts, or by an attempt cut off after its last
                        // byte): checked as any transfer is, and asked for again from the start only if it fails.
                        return workers.run(() -> adopt(guid, part, photo.sha256(), quota))
                                .chain(outcome -> outcome != null
                                        ? Uni.createFrom().item(outcome)
                                        : transfer(job, source, photo, part, 0, true, quota));
                    }
                    return transfer(job, source, photo, part, have, false, quota);
                });
    }

    /**
     * Reads a page of photos into their part files ahead of the photos phase (while the posts are copied), so that
     * phase finds their bytes on disk and only checks and adopts them. Nothing is adopted or written here; the same
     * guid, size and quota rules apply, a photo that is someone else's here is not fetched, and a failure only means
     * the photos phase fetches the rest itself. Stops before the next transfer once {@code stop} says so.
     */
    public Uni<Void> readAhead(ImportJob job, ImportSource source, List<PhotoRecord> items, AtomicBoolean stop) {
        List<PhotoRecord> wanted = items.stream()
                .filter(photo -> photo.guid() != null && Guids.isValid(photo.guid()))
                .filter(photo -> photo.size() > 0 && photo.size() <= maxBytes)
                .toList();
        if (wanted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long stored = job.done().getLong(PHOTO_BYTES, 0L);
        // What the parts may hold, counted up front (not by listing them again for every photo): a photo that would
        // take it past the quota is left to the photos phase, which says so.
        AtomicLong held = new AtomicLong();
        return workers.run(() -> {
                    held.set(stored + store.partBytes(job.id()));
                    return null;
                })
                .chain(() ->
                        photoOwners.of(wanted.stream().map(PhotoRecord::guid).toList()))
                .chain(owners -> Multi.createFrom()
                        .iterable(wanted.stream()
                                .filter(photo -> !owners.containsKey(photo.guid()))
                                .toList())
                        .onItem()
                        // Decided when the transfer is to start, not when the list is read.
                        .transformToUni(photo -> Uni.createFrom()
                                .deferred(() -> stop.get() || held.addAndGet(photo.size()) > maxBytesPerImport
                                        ? Uni.createFrom().voidItem()
                                        : fillPart(job, source, photo, stop))
                                .onFailure()
                                .recoverWithNull())
                        .merge(PHOTO_TRANSFERS)
                        .collect()
                        .last()
                        .replaceWithVoid());
    }

    /**
     * Keeps the first photos page read ahead beside the job's parts, with the query it answers: the photos phase,
     * and a run resumed after this pod was killed, take it from there instead of asking the old pod again. It is
     * written whole or not at all, and goes with the parts.
     */
    Uni<Void> keepPage(ImportJob job, String query, SourcePage page) {
        byte[] body = new JsonObject()
                .put("query", query)
                .put("items", page.items())
                .put("next", page.nextCursor())
                .toBuffer()
                .getBytes();
        return workers.files(() -> {
            Path kept = store.keptPageOf(job.id());
            // The job's folder is made here, before anything is read ahead, and nowhere else while reading ahead: a
            // transfer after the job's parts were dropped (it ended) finds no folder to write into.
            Files.createDirectories(kept.getParent());
            // A file of its own: a second writer for the job (a run that lost its lease) never mixes into it.
            Path temp = Files.createTempFile(kept.getParent(), "first-page-", ".tmp");
            try {
                Files.write(temp, body);
                Files.move(temp, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        });
    }

    /**
     * The page {@link #keepPage} kept for {@code query}, or null: none, one of another query (an earlier round's),
     * or one that does not read. The caller checks it as it checks a page the old pod sends.
     */
    Uni<SourcePage> keptPage(ImportJob job, String query) {
        return workers.run(() -> {
            Path kept = store.keptPageOf(job.id());
            if (!Files.exists(kept)) {
                return null;
            }
            try {
                JsonObject page = new JsonObject(Buffer.buffer(Files.readAllBytes(kept)));
                JsonArray items = page.getJsonArray("items");
                return query.equals(page.getString("query")) && items != null
                        ? new SourcePage(items, page.getString("next"))
                        : null;
            } catch (IOException | DecodeException | ClassCastException e) {
                return null;
            }
        });
    }

    /** What a part file holds (0 when there is none). Blocking. */
    private static long sizeOf(Path part) {
        try {
            return Files.exists(part) ? Files.size(part) : 0L;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A part holding as many bytes as the photo announced: checked and adopted as it is, not asked for again. */
    private static boolean isWhole(long have, PhotoRecord photo) {
        return have > 0 && have == photo.size();
    }

    /** The rest of one photo's bytes into its part file, at most its announced size. */
    private Uni<Void> fillPart(ImportJob job, ImportSource source, PhotoRecord photo, AtomicBoolean stop) {
        Path part = store.partOf(job.id(), photo.guid());
        return workers.run(() -> sizeOf(part))
                .chain(have -> have >= photo.size() || stop.get()
                        ? Uni.createFrom().voidItem()
                        : source.appendPhoto(job, photo.guid(), part.toString(), have, photo.size())
                                .replaceWithVoid());
    }

    /**
     * One transfer of a photo's bytes, appended from byte {@code from} to its part file (an attempt cut off
     * mid-file goes on from where it stopped, with Range), which never grows beyond the limit; then the checks of
     * {@link #adopt}. Gone (404, 410): left out. A 416 or bytes that do not match the announced sha256: the part
     * is dropped and the photo asked for once more from byte 0 ({@code again}), then left out. An old pod that
     * ignores Range (200) or a resumed part that reaches the cap: once more from byte 0, which cannot happen twice.
     * Any other failure (5xx, a reset, a timeout) fails the page, which is tried again and resumes the part.
     */
    private Uni<PhotoOutcome> transfer(
            ImportJob job, ImportSource source, PhotoRecord photo, Path part, long from, boolean again, Quota quota) {
        String guid = photo.guid();
        Uni<Integer> answered = from > maxBytes
                ? Uni.createFrom().item(CUT_OFF)
                : source.appendPhoto(job, guid, part.toString(), from, maxBytes)
                        .onFailure(e -> e instanceof CallFailed call && (call.status == 404 || call.status == 410))
                        .recoverWithItem(GONE)
                        .onFailure(OutboundRefused.TooLarge.class)
                        .recoverWithItem(CUT_OFF);
        return answered.chain(status -> {
            if ((status == CUT_OFF || status == 200) && from > 0) {
                return dropPart(part).chain(() -> transfer(job, source, photo, part, 0, again, quota));
            }
            if (status == GONE || status == CUT_OFF) {
                return dropPart(part)
                        .replaceWith(PhotoRefused.of(guid, status == GONE ? Reason.GONE : Reason.TOO_LARGE));
            }
            return workers.run(() -> adopt(guid, part, photo.sha256(), quota)).chain(outcome -> {
                if (outcome != null) {
                    return Uni.createFrom().item(outcome);
                }
                // A part longer than the old pod's file, a stale part of a file that changed, bytes damaged on
                // the way, or an old pod that lies about Range or its digest: once more from the start, no
                // more.
                return again
                        ? Uni.createFrom().item(PhotoRefused.of(guid, status == 416 ? Reason.NOT_SENT : Reason.DAMAGED))
                        : transfer(job, source, photo, part, 0, true, quota);
            });
        });
    }

    /**
     * The checks on a complete part file, then its move into the store under a new name: null (and the part
     * dropped) when its bytes are not the announced ones. Blocking.
     */
    private PhotoOutcome adopt(String guid, Path part, String announcedSha, Quota quota) {
        byte[] bytes;
        try {
            bytes = Files.exists(part) ? Files.readAllBytes(part) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha = Sha256.hex(bytes);
        if (!sha.equals(announcedSha)) {
            deleteQuietly(part);
            return null;
        }
        ImageInfo image = ImageInspector.identify(bytes);
        if (image == null || !image.sizeSupported()) {
            deleteQuietly(part);
            return PhotoRefused.of(guid, image == null ? Reason.NOT_AN_IMAGE : Reason.UNSUPPORTED_SIZE);
        }
        try {
            quota.take(bytes.length);
        } catch (CallFailed e) {
            deleteQuietly(part);
            throw e;
        }
        String fileName = store.adopt(part, image.extension());
        return new Copied(guid, fileName, image, bytes.length, sha);
    }

    private Uni<Void> dropPart(Path part) {
        return workers.run(() -> {
            deleteQuietly(part);
            return null;
        });
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
