package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * The end of an archive's import, when the old pod still answers: this pod sends it a revocation signed with the
 * archive's old key, and the old pod closes the old account and sends its old URLs here, as after a move between
 * live pods. When the old account changed after the archive was made, nothing is closed: the person chooses, for
 * {@link #CHOOSE_WITHIN}, to bring those changes through an online move ({@link ImportStart#bringNewerChanges}), to
 * close it anyway (losing them), or to keep it; the old key stays sealed with the job until then, to sign that
 * choice. An old pod that does not close it (dead, not a Transplant pod, refusing) leaves the move done and the person
 * told to close it by hand.
 */
@ApplicationScoped
public class OldAccountClosing {

    /** How long the person may still choose what becomes of an old account that changed after its archive. */
    static final Duration CHOOSE_WITHIN = Duration.ofDays(7);

    /** A revocation lives this long: the call is made within it. */
    private static final Duration LIVES = Duration.ofHours(1);

    private static final Logger LOG = Logger.getLogger(OldAccountClosing.class);

    /** The reason recorded for a backup's old account: a backup holds no key, so nothing is asked or told. */
    static final String BACKUP = "backup";

    private final ImportJobs jobs;
    private final PodHttp http;
    private final Accounts accounts;
    private final PrivateKeyVault vault;
    private final WorkerPool workers;
    private final PodUrls urls;
    private final ArchiveMoveNotices notices;

    public OldAccountClosing(
            ImportJobs jobs,
            PodHttp http,
            Accounts accounts,
            PrivateKeyVault vault,
            WorkerPool workers,
            PodUrls urls,
            ArchiveMoveNotices notices) {
        this.jobs = jobs;
        this.http = http;
        this.accounts = accounts;
        this.vault = vault;
        this.workers = workers;
        this.urls = urls;
        this.notices = notices;
    }

    /**
     * Asks the old pod to close the old account of {@code job} (an archive's, its old key still sealed with it);
     * answers what it did, as recorded with the job.
     */
    Uni<Outcome> askOldPod(ImportJob job) {
        if (job.oldAccount() != null) {
            // A retried finish: the old pod answered already (and the key may be gone with that answer).
            return Uni.createFrom().item(new Outcome(OldAccount.valueOf(job.oldAccount()), job.oldAccountReason()));
        }
        if (job.fromBackup()) {
            // Recorded with the job from its start; a backup holds no key to sign a revocation or notices with.
            Outcome outcome = new Outcome(OldAccount.NOT_CLOSED, BACKUP);
            return jobs.oldAccount(job.id(), outcome, false).replaceWith(outcome);
        }
        if (job.fromDiaspora()) {
            // A diaspora* pod takes no revocation: the person closes the old account there. Without the old key (the
            // old pod no longer knows the person) the import was of the data only, and no one is told.
            Outcome outcome = new Outcome(
                    OldAccount.NOT_CLOSED,
                    job.oldKeySealed() == null
                            ? "data-only"
                            : job.oldKeyMatched() ? "diaspora-pod" : "diaspora-unproven");
            return jobs.oldAccount(job.id(), outcome, outcome.keepsKey()).replaceWith(outcome);
        }
        if (job.oldKeySealed() == null) {
            return Uni.createFrom().item(new Outcome(OldAccount.NOT_CLOSED, "refused"));
        }
        return revoke(job, false).call(outcome -> jobs.oldAccount(job.id(), outcome, outcome.keepsKey()));
    }

    /** Signs and sends a revocation of {@code job}'s old account. */
    private Uni<Outcome> revoke(ImportJob job, boolean closeDespiteNewer) {
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
                .chain(move ->
                        workers.run(() -> Revocation.of(oldHandle, move, job.archiveSha256(), closeDespiteNewer, LIVES)
                                .sign(vault.open(job.oldKeySealed()))))
                .chain(jws -> send(oldHandle, jws));
    }

    /**
     * The person's choice for an old account that changed after its archive: close it anyway (a revocation saying
     * so, then the move notices), or keep it. 409 when there is nothing to choose (any more); 503 when the old pod
     * does not answer now (the choice stays open).
     */
    public Uni<Void> choose(long accountId, String jobId, boolean close) {
        if (!close) {
            return jobs.own(accountId, jobId)
                    .chain(() -> jobs.keepOldAccount(accountId, jobId))
                    .invoke(kept -> {
                        if (!kept) {
                            throw nothingToChoose();
                        }
                    })
                    .replaceWithVoid();
        }
        return jobs.own(accountId, jobId)
                .chain(() -> jobs.takeChoice(accountId, jobId))
                .chain(job -> {
                    if (job == null || job.oldKeySealed() == null) {
                        throw nothingToChoose();
                    }
                    return revoke(job, true)
                            // Whatever stopped the choice midway, the person may choose again.
                            .onFailure()
                            .call(() -> jobs.giveChoiceBack(jobId))
                            .chain(outcome -> {
                                if ("unreachable".equals(outcome.reason())) {
                                    return jobs.giveChoiceBack(jobId).invoke(() -> {
                                        throw new ProblemException(Problem.of(
                                                503,
                                                "old-pod-unreachable",
                                                "Old pod unreachable",
                                                "Your old pod does not answer now; try again later"));
                                    });
                                }
                                // The import has ended, so the key goes now: with the notices (signed first,
                                // when the account closed), then with the outcome.
                                return (outcome.state() == OldAccount.CLOSED
                                                ? notices.send(job).chain(url -> jobs.noticesSent(jobId, url))
                                                : Uni.createFrom().voidItem())
                                        .chain(() -> jobs.oldAccount(jobId, outcome, false));
                            });
                });
    }

    static ProblemException nothingToChoose() {
        return ProblemException.conflict(
                "nothing-to-choose",
                "This import's old account is not waiting for your choice (it was closed, kept, or the time to choose"
                        + " has passed)");
    }

    /** What the old pod did, in this pod's words (a reason code; never the old pod's own text). */
    record Outcome(OldAccount state, String reason) {
        /**
         * Whether the contacts' pods are told now: the old account is closed, or its pod is gone or not one that
         * closes accounts this way. Not while the person chooses, nor when the old pod contradicts the archive.
         */
        boolean tellContacts() {
            return state == OldAccount.CLOSED
                    || (state == OldAccount.NOT_CLOSED
                            && ("unreachable".equals(reason)
                                    || "not-known".equals(reason)
                                    || "diaspora-pod".equals(reason)
                                    || "diaspora-unproven".equals(reason)));
        }

        /** Whether the job keeps the old key: to sign the person's choice, or the notices still to be written. */
        boolean keepsKey() {
            return state == OldAccount.NEWER_CHANGES || tellContacts();
        }
    }

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
        if (status == 403 && problem.endsWith("/archive-not-issued")) {
            return new Outcome(OldAccount.NOT_CLOSED, "archive-removed");
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
