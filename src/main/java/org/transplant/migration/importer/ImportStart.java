package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.account.SignUp;
import org.transplant.pod.account.SignUpRules;
import org.transplant.pod.session.SessionTokens;
import org.transplant.web.ProblemException;

/**
 * Starting an import: the old handle is checked and its pod found and registered with, the new username is checked
 * free, and only then is the new account opened (moving, so it takes no content of its own yet) with its job.
 * The person then authorizes this pod at their old pod, starting at {@link #connectPath}.
 */
@ApplicationScoped
public class ImportStart {

    /** What a person gives to start: the old handle, the new account, and what happens to photos. */
    public record Request(String handle, String username, String password, String email, String photos) {
        @Override
        public String toString() {
            return "ImportStart.Request[" + handle + " -> " + username + "]";
        }
    }

    /** A started import: the job and the account it fills. */
    public record Started(String jobId, long accountId, String username, String password) {}

    private final Pool pool;
    private final ImportJobs jobs;
    private final RemotePods pods;
    private final AccountService accounts;
    private final AccountStates states;
    private final PodUrls urls;
    private final TransplantConfig config;
    private final Accounts podAccounts;

    public ImportStart(
            Pool pool,
            ImportJobs jobs,
            RemotePods pods,
            AccountService accounts,
            PodUrls urls,
            TransplantConfig config,
            AccountStates states,
            Accounts podAccounts) {
        this.podAccounts = podAccounts;
        this.states = states;
        this.config = config;
        this.pool = pool;
        this.jobs = jobs;
        this.pods = pods;
        this.accounts = accounts;
        this.urls = urls;
    }

    public Uni<Started> start(Request request) {
        Handle old = Handle.parse("handle", request.handle());
        if (old.host().equals(urls.host())) {
            throw ProblemException.invalid("handle", old + " is on this pod already");
        }
        String photoMode = photoMode(request.photos());
        String username =
                request.username() == null ? "" : request.username().trim().toLowerCase(Locale.ROOT);
        SignUp signUp = new SignUp(username, request.password(), request.email());
        // Everything a person can get wrong is asked before anything is written or any pod is contacted.
        SignUpRules.check(signUp, config.accounts());
        return accounts.isAvailable(username)
                .invoke(free -> {
                    if (!free) {
                        throw ProblemException.conflict(
                                "username-taken", "The username " + username + " is taken on this pod; choose another");
                    }
                })
                .chain(() -> pods.forHandle(old))
                .chain(pod -> accounts.signUp(signUp)
                        .chain(account -> openJob(account.id, account.username, old, pod, photoMode, null)
                                .map(jobId -> new Started(jobId, account.id, account.username, request.password()))));
    }

    /** The job of an import into the account, which is moving from now on: one transaction. */
    private Uni<String> openJob(
            long accountId,
            String username,
            Handle old,
            RemotePods.RemotePod pod,
            String photoMode,
            ArchiveJobChoice archive) {
        String jobId = SessionTokens.newToken().substring(0, 22);
        return pool.withTransaction(conn -> (archive == null
                                ? Uni.createFrom().voidItem()
                                : jobs.oldAccountViaOnlineMove(conn, accountId, archive.jobId(), jobId)
                                        .invoke(chosen -> {
                                            if (!chosen) {
                                                throw OldAccountClosing.nothingToChoose();
                                            }
                                        })
                                        .replaceWithVoid())
                        .chain(() -> states.startMoving(conn, accountId))
                        .chain(() -> jobs.create(
                                conn,
                                new ImportJobs.NewJob(
                                        jobId,
                                        accountId,
                                        old.toString(),
                                        urls.handleOf(username),
                                        pod.id(),
                                        photoMode,
                                        archive == null ? null : archive.snapshot()))))
                .replaceWith(jobId);
    }

    /** The archive's import whose newer changes a job brings, and the old pod's change sequence the archive holds. */
    private record ArchiveJobChoice(String jobId, long snapshot) {}

    /**
     * An online move into the account an archive opened, copying only what changed at the old pod after the archive
     * was made (its snapshot), then closing the old account as any online move does: the person's choice when the old
     * account changed after its archive. It needs their consent on the old pod, as any online move.
     */
    public Uni<Started> bringNewerChanges(long accountId, String username, String archiveJobId) {
        return jobs.own(accountId, archiveJobId).chain(archive -> {
            if (!archive.fromArchive()
                    || archive.state() != JobState.DONE
                    || !OldAccount.NEWER_CHANGES.name().equals(archive.oldAccount())
                    || archive.oldAccountReason() != null
                    || archive.snapshot() == null) {
                throw OldAccountClosing.nothingToChoose();
            }
            Handle old = Handle.parse("oldHandle", archive.oldHandle());
            return pods.forHandle(old)
                    .chain(pod -> openJob(
                            accountId,
                            username,
                            old,
                            pod,
                            archive.photoMode(),
                            new ArchiveJobChoice(archive.id(), archive.snapshot())))
                    .map(jobId -> new Started(jobId, accountId, username, null));
        });
    }

    /**
     * An import into the signed-in account, which must hold nothing yet (no posts, contacts, photos or
     * conversations): what arrives can then never be mistaken for what the person wrote here.
     */
    public Uni<Started> startInto(long accountId, String username, String handle, String photos) {
        Handle old = Handle.parse("handle", handle);
        if (old.host().equals(urls.host())) {
            throw ProblemException.invalid("handle", old + " is on this pod already");
        }
        String photoMode = photoMode(photos);
        return podAccounts
                .holdsContent(accountId)
                .invoke(holdsContent -> {
                    if (holdsContent) {
                        throw ProblemException.conflict(
                                "account-not-empty",
                                "This account already holds content;"
                                        + " an import goes into a new account or one that holds nothing yet");
                    }
                })
                .chain(() -> pods.forHandle(old))
                .chain(pod -> openJob(accountId, username, old, pod, photoMode, null))
                .map(jobId -> new Started(jobId, accountId, username, null));
    }

    /** Where the person's browser goes to authorize this pod at the old one (the code flow starts there). */
    public static String connectPath(String jobId) {
        return "/import/connect/" + jobId;
    }

    private static String photoMode(String photos) {
        if (photos == null || photos.isBlank()) {
            return "COPY";
        }
        String mode = photos.trim().toUpperCase(Locale.ROOT);
        if (!mode.equals("COPY") && !mode.equals("LINK") && !mode.equals("SKIP")) {
            throw ProblemException.invalid("photos", "must be copy, link or skip");
        }
        return mode;
    }
}
