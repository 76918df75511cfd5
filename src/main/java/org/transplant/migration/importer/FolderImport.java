package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.account.SignUp;
import org.transplant.pod.account.SignUpRules;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.session.SessionTokens;
import org.transplant.web.ProblemException;

/**
 * Imports a folder of the export's files ({@link FolderFormat}) under {@code <data dir>/exports} into a new local
 * account: the folder is checked first (a refusal is a 422 and nothing is written), then the account is opened and
 * a job for it handed to the {@link ImportRunner}, the same runner, checks and writers as an import from an old pod.
 */
@ApplicationScoped
public class FolderImport {

    /** What the admin asks for: a folder under the exports directory and the new account. */
    public record Request(String folder, String username, String email, String password) {}

    /** The job and the account it fills. */
    public record Started(String jobId, String username, String handle) {}

    private final ImportSources sources;
    private final AccountService accounts;
    private final AccountStates states;
    private final Pool pool;
    private final ImportJobs jobs;
    private final PodUrls urls;
    private final WorkerPool workers;
    private final ImportRunner runner;
    private final TransplantConfig config;
    private final ImportReport report;

    public FolderImport(
            ImportSources sources,
            AccountService accounts,
            AccountStates states,
            Pool pool,
            ImportJobs jobs,
            PodUrls urls,
            WorkerPool workers,
            ImportRunner runner,
            TransplantConfig config,
            ImportReport report) {
        this.report = report;
        this.sources = sources;
        this.accounts = accounts;
        this.states = states;
        this.pool = pool;
        this.jobs = jobs;
        this.urls = urls;
        this.workers = workers;
        this.runner = runner;
        this.config = config;
    }

    public Uni<Started> start(Request request) {
        if (request == null) {
            throw ProblemException.badRequest(
                    "missing-body", "A JSON body naming the folder and the account is required");
        }
        return start(request, null);
    }

    /**
     * Imports the folder an opened archive was unpacked into (under the exports directory): the archive's
     * signature proved the old identity, so the job carries it, and the folder is removed when the job is done. The
     * old key ({@code oldKeySealed}, by the pod's vault) signs the move notices this pod sends when the job is done.
     */
    public Uni<Started> startOpenedArchive(Request request, FromArchive archive) {
        return start(request, archive);
    }

    /**
     * What an opened archive adds to a folder: the old key (sealed), whether it matched a key the network knows for
     * the old identity, and whether the photos stayed on the old pod, linked.
     */
    public record FromArchive(
            String oldKeySealed,
            boolean oldKeyMatched,
            boolean photosLinked,
            String dataSha256,
            Format format,
            List<ImportReport.LeftOut> leftOut) {

        /** A Transplant archive's: nothing was left out in opening it. */
        public FromArchive(String oldKeySealed, boolean oldKeyMatched, boolean photosLinked, String dataSha256) {
            this(oldKeySealed, oldKeyMatched, photosLinked, dataSha256, Format.TRANSPLANT, List.of());
        }

        @Override
        public String toString() {
            return "FromArchive[" + format + ", matched=" + oldKeyMatched + ", linked=" + photosLinked + "]";
        }
    }

    /**
     * What the opened file was: a Transplant archive, a diaspora* export converted into a folder (its old pod
     * closes no account for another pod, and what the conversion left out is in the job's report from the start), or
     * a packed backup (it holds no key, so it proves and signs nothing: an import of the data only, said so from the
     * start, with what the backup itself lacked in the report).
     */
    public enum Format {
        TRANSPLANT,
        DIASPORA,
        BACKUP
    }

    /**
     * Fails with 409 {@code username-taken} unless {@code username} (normalised) is free here: asked before an archive,
     * export or backup is opened, so a taken name costs no unpacking, and again when the account is made.
     */
    public Uni<Void> requireFree(String username) {
        return accounts.isAvailable(username)
                .invoke(free -> {
                    if (!free) {
                        throw ProblemException.conflict(
                                "username-taken", "The username " + username + " is taken on this pod");
                    }
                })
                .replaceWithVoid();
    }

    /** {@code archive} is null for a folder that is no opened archive. */
    private Uni<Started> start(Request request, FromArchive archive) {
        if (archive == null && request.folder() != null && OpenedArchives.isOpenedArchive(request.folder())) {
            throw ProblemException.invalid(
                    "folder",
                    "names of the form opened-archive-… are this pod's own, for archives it opens; rename it");
        }
        Path root = sources.folders();
        Path folder = FolderFormat.within(root, request.folder() == null ? "" : request.folder())
                .orElseThrow(() ->
                        ProblemException.invalid("folder", "must name a folder inside this pod's exports directory"));
        String username =
                request.username() == null ? "" : request.username().trim().toLowerCase(Locale.ROOT);
        SignUp signUp = new SignUp(username, request.password(), request.email());
        SignUpRules.check(signUp, config.accounts());
        return workers.run(() -> {
                    if (!Files.isDirectory(folder) || !FolderCheck.real(folder).startsWith(FolderCheck.real(root))) {
                        throw ProblemException.notFound("The folder " + request.folder());
                    }
                    try {
                        FolderCheck.verify(folder, config.photos().maxBytes());
                        JsonObject document = FolderCheck.document(FolderCheck.real(folder), FolderFormat.ACCOUNT);
                        // The account document is checked whole here, so a bad one opens no account.
                        AccountDocument.check(document, oldHandle(document));
                        return document;
                    } catch (CallFailed refused) {
                        throw new ProblemException(org.transplant.web.Problem.of(
                                422, "folder-refused", "Folder refused", refused.getMessage()));
                    }
                })
                .chain(document -> requireFree(username)
                        .chain(() -> accounts.signUp(signUp))
                        .chain(account -> openJob(
                                        account.id, account.username, oldHandle(document), root, folder, archive)
                                .map(jobId -> new Started(jobId, account.username, urls.handleOf(account.username)))))
                .invoke(runner::wake);
    }

    /** The handle the folder claims, as a handle is written here (lower case, no acct:); refused when it is none. */
    private static String oldHandle(JsonObject document) {
        try {
            return Handle.parse("handle", document.getValue("handle") instanceof String h ? h : null)
                    .toString();
        } catch (ProblemException e) {
            throw FolderCheck.refused("The folder's " + FolderFormat.ACCOUNT + " names no handle like user@host");
        }
    }

    /** The job, due at once, in one transaction with the account's move in. */
    private Uni<String> openJob(
            long accountId, String username, String oldHandle, Path root, Path folder, FromArchive archive) {
        String jobId = SessionTokens.newToken().substring(0, 22);
        return pool.withTransaction(c -> states.startMoving(c, accountId)
                        .chain(() -> jobs.createFromFolder(
                                c,
                                jobId,
                                accountId,
                                oldHandle,
                                urls.handleOf(username),
                                root.relativize(folder).toString(),
                                archive))
                        .chain(() -> archive == null
                                ? Uni.createFrom().voidItem()
                                : report.leftOut(c, jobId, archive.leftOut())))
                .replaceWith(jobId);
    }
}
