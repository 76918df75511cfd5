package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.transplant.config.TransplantConfig;
import org.transplant.outbound.PodHttp;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.crypto.WorkerPool;

/** The source a job reads: its old pod over the Migration API, or a folder of the export's files. */
@ApplicationScoped
public class ImportSources {

    private final OldPodApi api;
    private final RemotePods pods;
    private final PodUrls urls;
    private final Accounts podAccounts;
    private final MoveLanded moveLanded;
    private final WorkerPool workers;
    private final TransplantConfig config;
    private final ArchiveEnd archiveEnd;

    public ImportSources(
            OldPodApi api,
            RemotePods pods,
            PodUrls urls,
            Accounts podAccounts,
            MoveLanded moveLanded,
            WorkerPool workers,
            TransplantConfig config,
            ArchiveEnd archiveEnd) {
        this.archiveEnd = archiveEnd;
        this.api = api;
        this.pods = pods;
        this.urls = urls;
        this.podAccounts = podAccounts;
        this.moveLanded = moveLanded;
        this.workers = workers;
        this.config = config;
    }

    /** The folder files are exported to and imported from: {@code <data dir>/exports}. */
    public Path folders() {
        return Path.of(config.dataDir(), "exports").toAbsolutePath().normalize();
    }

    /**
     * Where an archive's linked photos stay: on the old pod, at {@code /photos/{guid}} under its handle's host (the
     * guid's shape is checked, so no other URL comes of it); null for any other folder.
     */
    private static String linkedPhotos(ImportJob job) {
        if (!job.fromArchive() || !"LINK".equals(job.photoMode())) {
            return null;
        }
        return PodHttp.baseUrlOf(Handle.parse("oldHandle", job.oldHandle()).host()) + "/photos/";
    }

    Uni<ImportSource> of(ImportJob job) {
        if (job.fromFolder()) {
            return Uni.createFrom()
                    .item(new FolderSource(
                            folders().resolve(job.sourceFolder()),
                            folders(),
                            workers,
                            config.photos().maxBytes(),
                            config.outbound().maxBodyBytes(),
                            archiveEnd,
                            linkedPhotos(job)));
        }
        return pods.byId(job.remotePodId()).map(pod -> new MigrationApiSource(api, pod, urls, podAccounts, moveLanded));
    }
}
