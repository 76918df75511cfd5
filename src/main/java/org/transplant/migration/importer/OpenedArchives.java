package org.transplant.migration.importer;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.reactive.OnePass;
import org.transplant.pod.session.SessionTokens;

/**
 * The folders archives are opened into, under the exports directory: each is this pod's own, made for one job, and
 * holds a person's whole account in clear. It goes when its job ends, however it ends (done, failed, called off),
 * and a sweep removes any that no running job reads (a pod stopped between opening an archive and writing its job
 * leaves one), once nothing has been written in it for {@link #SETTLED}, so that an archive being opened keeps its
 * folder. The same pass ends the choices about an old account no one made in their time ({@link OldAccountClosing}).
 */
@ApplicationScoped
public class OpenedArchives {

    /** No export takes such a name: theirs are {@code <username>-<time>}, and a username holds no hyphen. */
    private static final String PREFIX = "opened-archive-";

    /** How long an opened folder untouched by any write is left to its opening before the sweep may take it. */
    static final Duration SETTLED = Duration.ofMinutes(30);

    private static final Logger LOG = Logger.getLogger(OpenedArchives.class);

    private final OnePass passes = new OnePass(LOG, "Opened archives sweep");
    private final ImportJobs jobs;
    private final WorkerPool workers;
    private final ImportSources sources;

    public OpenedArchives(ImportJobs jobs, WorkerPool workers, ImportSources sources) {
        this.jobs = jobs;
        this.workers = workers;
        this.sources = sources;
    }

    /** Whether {@code name} is of the form an opened archive's folder takes (reserved for them: the sweep takes them). */
    public static boolean isOpenedArchive(String name) {
        return name.startsWith(PREFIX);
    }

    /** A new folder's name (not made yet): random, so that no one guesses another import's. */
    public static String newName() {
        return PREFIX + SessionTokens.newToken().substring(0, 22);
    }

    /** Removes the folder of {@code job} when it is an opened archive's; a failure leaves it to the sweep. */
    Uni<Void> drop(ImportJob job) {
        if (job == null || !job.fromArchive() || !job.sourceFolder().startsWith(PREFIX)) {
            return Uni.createFrom().voidItem();
        }
        Path folder = sources.folders().resolve(job.sourceFolder());
        return workers.run(() -> {
            OwnerOnlyFiles.removeQuietly(folder);
            return null;
        });
    }

    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        passes.run(() -> sweep(Instant.now().minus(SETTLED)).chain(jobs::endUnmadeChoices));
    }

    /**
     * Removes every opened folder that no running job reads and in which nothing was written since {@code before}
     * (the folder is listed before the jobs are read, so that a job written in between keeps its folder).
     */
    public Uni<Void> sweep(Instant before) {
        return workers.run(() -> OwnerOnlyFiles.entries(sources.folders()).stream()
                        .filter(path -> path.getFileName().toString().startsWith(PREFIX))
                        .toList())
                .chain(opened ->
                        jobs.foldersUnderWay().chain(live -> workers.files(() -> removeUnread(opened, live, before))));
    }

    private static void removeUnread(List<Path> opened, Set<String> live, Instant before) throws IOException {
        for (Path folder : opened) {
            if (!live.contains(folder.getFileName().toString())
                    && lastWrite(folder).isBefore(before)) {
                LOG.infof("Removing %s: no running import reads it", folder.getFileName());
                OwnerOnlyFiles.removeQuietly(folder);
            }
        }
    }

    /** The latest time anything in the folder (or the folder itself) was written. */
    private static Instant lastWrite(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.map(path -> {
                        try {
                            return Files.getLastModifiedTime(path).toInstant();
                        } catch (IOException gone) {
                            return Instant.MAX;
                        }
                    })
                    .max(Instant::compareTo)
                    .orElse(Instant.MAX);
        }
    }
}
