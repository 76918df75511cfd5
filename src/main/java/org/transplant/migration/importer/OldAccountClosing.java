package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.transplant.migration.api.MoveRequest;
import org.transplant.migration.api.Revocation;
import org.transplant.outbound.PodHttp;
import org.transplant.outbound.PodResponse;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.ProblemException;

/**
 * The end of an archive's import, when the old pod still answers: this pod sends it a revocation signed with the
 * archive's old key, and the old pod closes the old account and sends its old URLs here, as after a move between
 * live pods. When the old account changed after the archive was made, nothing is closed: the person chooses, for
 * {@link #CHOOSE_WITHIN}, to close it anyway (losing those changes) or to keep it; the revocation for that is signed
 * now, while the key is here, and kept instead of the key. An old pod that does not close it (dead, not a
 * Transplant pod, refusing) leaves the move done and the person told to close it by hand.
 */
@ApplicationScoped
public class OldAccountClosing {

    /** How long the person may still choose to close an old account that changed after its archive. */
    static final Duration CHOOSE_WITHIN = Duration.ofDays(7);

    /** The revocation sent at once lives this long: the call is made within it. */
    private static final Duration SENT_NOW = Duration.ofHours(1);

    private static final Logger LOG = Logger.getLogger(OldAccountClosing.class);

    private final ImportJobs jobs;
    private final PodHttp http;
    private final Accounts accounts;
    private final PrivateKeyVault vault;
    private final WorkerPool workers;
    private final PodUrls urls;

    public OldAccountClosing(
            ImportJobs jobs, PodHttp http, Accounts accounts, PrivateKeyVault vault, WorkerPool workers, PodUrls urls) {
        this.jobs = jobs;
        this.http = http;
        this.accounts = accounts;
        this.vault = vault;
        this.workers = workers;
        this.urls = urls;
    }

    /** The two revocations of a job: the one sent now, and the one closing despite newer changes. */
    private record Signed(String now, String despiteNewer) {}

    /** Asks the old pod to close the old account of {@code job} (an archive's, its old key still sealed with it). */
    Uni<Void> askOldPod(ImportJob job) {
        if (!job.fromArchive() || job.oldKeySealed() == null) {
            return Uni.createFrom().voidItem();
        }
        Handle oldHandle = Handle.parse("oldHandle", job.oldHandle());
        return accounts.keyed(job.accountId())
                .map(account -> new MoveRequest(
                        job.newHandle(),
                        account.publicKeyPem(),
                        null,
                        job.snapshot() == null ? 0L : job.snapshot(),
                        urls.url("/u/" + account.username()),
                        urls.url("/posts/{guid}"),
                        // The old pod keeps serving the photos: an archive may have left them out.
                        null))
                .chain(move -> workers.run(() -> {
                    PrivateKey key = vault.open(job.oldKeySealed());
                    return new Signed(
                            Revocation.of(oldHandle, move, false, SENT_NOW).sign(key),
                            Revocation.of(oldHandle, move, true, CHOOSE_WITHIN).sign(key));
                }))
                .chain(signed -> send(oldHandle, signed.now())
                        .chain(outcome -> jobs.oldAccount(
                                job.id(),
                                outcome.state(),
                                outcome.reason(),
                                outcome.state() == OldAccount.NEWER_CHANGES ? signed.despiteNewer() : null)));
    }

    /**
     * The person's choice for an old account that changed after its archive: close it anyway (the revocation signed
     * at the import is sent), or keep it. 409 when there is nothing to choose (any more); 503 when the old pod does
     * not answer now (the choice stays open).
     */
    public Uni<Void> choose(long accountId, String jobId, boolean close) {
        if (!close) {
            return jobs.keepOldAccount(accountId, jobId)
                    .invoke(kept -> {
                        if (!kept) {
                            throw nothingToChoose();
                        }
                    })
                    .replaceWithVoid();
        }
        return jobs.own(accountId, jobId)
                .chain(job -> jobs.closeDespiteNewer(accountId, jobId)
                        .chain(jws -> {
                            if (jws == null) {
                                throw nothingToChoose();
                            }
                            return send(Handle.parse("oldHandle", job.oldHandle()), jws);
                        })
                        .chain(outcome -> {
                            if ("unreachable".equals(outcome.reason())) {
                                throw new ProblemException(org.transplant.web.Problem.of(
                                        503,
                                        "old-pod-unreachable",
                                        "Old pod unreachable",
                                        "Your old pod does not answer now; try again later"));
                            }
                            return jobs.oldAccount(jobId, outcome.state(), outcome.reason(), null);
                        }));
    }

    static ProblemException nothingToChoose() {
        return ProblemException.conflict(
                "nothing-to-choose",
                "This import's old account is not waiting for your choice (it was closed, kept, or the time to choose"
                        + " has passed)");
    }

    /** What the old pod did, in this pod's words (a reason code; never the old pod's own text). */
    record Outcome(OldAccount state, String reason) {}

    private Uni<Outcome> send(Handle oldHandle, String jws) {
        return http.request(HttpMethod.POST, PodHttp.baseUrlOf(oldHandle.host()) + Revocation.PATH)
                .putHeader("Content-Type", Revocation.MEDIA_TYPE)
                .putHeader("Accept", "application/json")
                .sendBuffer(Buffer.buffer(jws))
                .map(OldAccountClosing::outcomeOf)
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.infof("The old pod of %s did not take the revocation: %s", oldHandle, e.getMessage());
                    return new Outcome(OldAccount.NOT_CLOSED, "unreachable");
                });
    }

    private static Outcome outcomeOf(PodResponse response) {
        int status = response.statusCode();
        Object type = PodHttp.jsonBody(response).getValue("type");
        String problem = type instanceof String text ? text : "";
        if (status == 200) {
            return new Outcome(OldAccount.CLOSED, null);
        }
        if (status == 409 && problem.endsWith("/newer-changes")) {
            return new Outcome(OldAccount.NEWER_CHANGES, null);
        }
        if (status == 409 && problem.endsWith("/already-moved")) {
            return new Outcome(OldAccount.NOT_CLOSED, "already-moved");
        }
        if (status == 404 || status == 405 || status == 415) {
            return new Outcome(OldAccount.NOT_CLOSED, "not-known");
        }
        if (status == 408 || status == 429 || status / 100 == 5) {
            return new Outcome(OldAccount.NOT_CLOSED, "unreachable");
        }
        return new Outcome(OldAccount.NOT_CLOSED, "refused");
    }
}
