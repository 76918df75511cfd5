package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.photo.PhotoStore;

/**
 * Renders and stores the photos of a run on the worker pool, then writes their rows, a chunk per transaction.
 * Every second photo belongs to a post (written before), found by the post's guid.
 */
@ApplicationScoped
class PhotoWriter {

    private static final int CHUNK = 25;

    private static final String INSERT_PHOTOS = """
            INSERT INTO photos (guid, account_id, post_id, public, file_name, content_type, size_bytes, sha256,
                                width, height, caption, seq, created_at)
            SELECT u.guid, $1, p.id, coalesce(p.public, TRUE), u.file_name, 'image/png', u.size, u.sha256,
                   u.width, u.height, u.caption, u.seq, u.created_at
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::int[], $8::int[],
                        $9::text[], $10::bigint[], $11::timestamptz[])
                AS u(guid, post_guid, file_name, size, sha256, width, height, caption, seq, created_at)
            LEFT JOIN posts p ON p.guid = u.post_guid""";

    /** What to render for one photo; {@code postGuid} is null for a photo outside any post. */
    private record Plan(String guid, long pixelSeed, String postGuid, long createdMillis, String caption) {}

    private record Written(Plan plan, PhotoStore.StoredFile file, int width, int height) {}

    private final Pool pool;
    private final PhotoStore store;
    private final WorkerPool workers;

    PhotoWriter(Pool pool, PhotoStore store, WorkerPool workers) {
        this.pool = pool;
        this.store = store;
        this.workers = workers;
    }

    Uni<Void> write(SyntheticRun run) {
        List<Plan> plans = plan(run);
        int chunks = (plans.size() + CHUNK - 1) / CHUNK;
        return SqlBatch.inSequence(chunks, c -> {
            List<Plan> chunk = plans.subList(c * CHUNK, Math.min(plans.size(), (c + 1) * CHUNK));
            return workers.run(() -> render(chunk, run.request.photoBytes())).chain(written -> insert(run, written));
        });
    }

    /** Photos are few (at most 10,000), so their plan is made up front and sorted by time for the seq order. */
    private static List<Plan> plan(SyntheticRun run) {
        SplittableRandom random = run.photoRandom;
        long span = run.endMillis - run.startMillis;
        List<Plan> plans = new ArrayList<>(run.request.photos());
        for (int i = 0; i < run.request.photos(); i++) {
            String guid = SyntheticSeeds.guid(run.photoGuids);
            long pixelSeed = random.nextLong();
            SyntheticRun.PostRef post = run.photoTarget(i);
            // A photo in a post was uploaded a little before the post went out.
            long created = post != null
                    ? post.createdMillis() - 1_000 - random.nextLong(120_000)
                    : run.startMillis + random.nextLong(span);
            String caption = random.nextInt(3) == 0 ? SyntheticText.caption(random) : null;
            plans.add(new Plan(guid, pixelSeed, post == null ? null : post.guid(), created, caption));
        }
        plans.sort(Comparator.comparingLong(Plan::createdMillis));
        return plans;
    }

    private List<Written> render(List<Plan> chunk, int photoBytes) {
        List<Written> written = new ArrayList<>(chunk.size());
        for (Plan plan : chunk) {
            SyntheticPhotos.Rendered image = SyntheticPhotos.render(plan.pixelSeed(), photoBytes);
            PhotoStore.StoredFile file = store.store(plan.guid() + ".png", image.png());
            written.add(new Written(plan, file, image.width(), image.height()));
        }
        return written;
    }

    private Uni<Void> insert(SyntheticRun run, List<Written> written) {
        int n = written.size();
        String[] guids = new String[n];
        String[] postGuids = new String[n];
        String[] fileNames = new String[n];
        Long[] sizes = new Long[n];
        String[] hashes = new String[n];
        Integer[] widths = new Integer[n];
        Integer[] heights = new Integer[n];
        String[] captions = new String[n];
        Long[] seqs = new Long[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Written photo = written.get(i);
            guids[i] = photo.plan().guid();
            postGuids[i] = photo.plan().postGuid();
            fileNames[i] = photo.file().fileName();
            sizes[i] = photo.file().size();
            hashes[i] = photo.file().sha256();
            widths[i] = photo.width();
            heights[i] = photo.height();
            captions[i] = photo.plan().caption();
            times[i] = SyntheticTimeline.time(photo.plan().createdMillis());
        }
        return pool.withTransaction(connection -> ChangeSequence.reserveFirst(connection, run.accountId, n)
                        .chain(firstSeq -> {
                            for (int i = 0; i < n; i++) {
                                seqs[i] = firstSeq + i;
                            }
                            return SqlBatch.insert(
                                    connection,
                                    INSERT_PHOTOS,
                                    run.accountId,
                                    guids,
                                    postGuids,
                                    fileNames,
                                    sizes,
                                    hashes,
                                    widths,
                                    heights,
                                    captions,
                                    seqs,
                                    times);
                        }))
                .invoke(rows -> {
                    run.tally.photos += rows;
                    run.tally.photoBytes += written.stream()
                            .mapToLong(photo -> photo.file().size())
                            .sum();
                })
                .replaceWithVoid();
    }
}
