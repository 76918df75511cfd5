package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.transplant.pod.account.AccountStates;
import org.transplant.web.ProblemException;

/**
 * Calling an import off before the move: the job stops at its next page (the runner finds it no longer running),
 * the old pod is asked to end the authorization (nothing there was locked), and the new account becomes an
 * ordinary account holding what was copied so far.
 */
@ApplicationScoped
public class ImportAbort {

    private static final Logger LOG = Logger.getLogger(ImportAbort.class);

    private final ImportJobs jobs;
    private final RemotePods pods;
    private final OldPodApi api;
    private final PhotoCopier photos;
    private final AccountStates states;
    private final OpenedArchives opened;
    private final PhotosReadAhead photosAhead;

    public ImportAbort(
            ImportJobs jobs,
            RemotePods pods,
            OldPodApi api,
            PhotoCopier photos,
            AccountStates states,
            OpenedArchives opened,
            PhotosReadAhead photosAhead) {
        this.photosAhead = photosAhead;
        this.opened = opened;
        this.photos = photos;
        this.states = states;
        this.jobs = jobs;
        this.pods = pods;
        this.api = api;
    }

    public Uni<ImportJob> abort(long accountId, String jobId) {
        return jobs.own(accountId, jobId)
                .chain(job -> jobs.abort(accountId, jobId, c -> states.endMoving(c, accountId))
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.conflict(
                                "import-not-abortable",
                                "This import is " + job.state().name().toLowerCase(Locale.ROOT)
                                        + " and can no longer be called off")))
                .call(aborted -> aborted.accessToken() == null
                        ? Uni.createFrom().voidItem()
                        : pods.byId(aborted.remotePodId())
                                .chain(pod -> api.post(aborted, pod, "/migration/v1/abort", new JsonObject()))
                                .onFailure()
                                .invoke(e -> LOG.warnf(
                                        "Import %s: the old pod did not take the abort: %s", jobId, e.getMessage()))
                                .onFailure()
                                .recoverWithNull()
                                .replaceWithVoid())
                .call(() -> jobs.forgetTokens(jobId))
                .call(() -> photos.dropParts(jobId))
                // Photos being read ahead stop before their next transfer; the ones in flight may still write a
                // part, so the parts are dropped once more when they are through (the answer does not wait).
                .invoke(() -> photosAhead.stopThen(jobId, photos.dropParts(jobId)))
                .call(opened::drop);
    }
}
