package org.transplant.migration.importer;

import static org.transplant.migration.importer.JobState.sql;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.transplant.discovery.MoveOrigins;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.web.ProblemException;

/**
 * The store of import jobs, and the only code that reads or writes {@code import_jobs}: each change of a job is a
 * verb here. The runner's verbs take the instance that runs the job and change it only while that instance holds
 * its lease, so a job called off (or resumed elsewhere) meanwhile keeps what it became. A person's own reads answer
 * another account's job as a 404, as if it did not exist. Discovery asks here which identity an account moved from.
 */
@ApplicationScoped
public class ImportJobs implements MoveOrigins {

    private static final String RUNNING = sql(JobState.RUNNING);

    private final Pool pool;
    private final SecretBox secrets;

    public ImportJobs(Pool pool, SecretBox secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    /**
     * A job as {@link ImportStart} opens it: waiting for the person's consent on the old pod. {@code changedAfter}
     * (null for a whole copy) makes it copy only what changed at the old pod after that change sequence: the changes
     * newer than an archive already imported.
     */
    record NewJob(
            String id,
            long accountId,
            String oldHandle,
            String newHandle,
            long remotePodId,
            String photoMode,
            Long changedAfter) {}

    /**
     * Opens a job in the caller's transaction. An account with a job under way gets none (the schema's unique
     * index {@code import_jobs_one_running}), answered as a 409.
     */
    Uni<Void> create(SqlConnection c, NewJob job) {
        return c.preparedQuery("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id,"
                        + " photo_mode, state, snapshot, delta_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
                .execute(Tuple.from(Arrays.asList(
                        job.id(),
                        job.accountId(),
                        job.oldHandle(),
                        job.newHandle(),
                        job.remotePodId(),
                        job.photoMode(),
                        JobState.REQUESTED.name(),
                        job.changedAfter())))
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("import_jobs_one_running"))
                .transform(e ->
                        ProblemException.conflict("import-running", "This account already has an import under way"))
                .replaceWithVoid();
    }

    /** Opens a job reading a folder of the export's files ({@code folder}, relative to the exports directory), due at once. */
    Uni<Void> createFromFolder(
            SqlConnection c,
            String id,
            long accountId,
            String oldHandle,
            String newHandle,
            String folder,
            FolderImport.FromArchive archive) {
        // A backup holds no key: what becomes of its old account is known from the start (nothing), and said so.
        boolean backup = archive != null && archive.format() == FolderImport.Format.BACKUP;
        return c.preparedQuery("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, source_folder,"
                        + " photo_mode, state, from_archive, old_key_sealed, old_key_matched, archive_sha256,"
                        + " archive_format, old_account, old_account_reason) VALUES ($1, $2, $3, $4, $5, $6, '"
                        + JobState.AUTHORIZED.name() + "', $7, $8, $9, $10, $11, $12, $13)")
                .execute(Tuple.tuple(java.util.Arrays.asList(
                        id,
                        accountId,
                        oldHandle,
                        newHandle,
                        folder,
                        archive != null && archive.photosLinked() ? "LINK" : "COPY",
                        archive != null,
                        archive == null ? null : archive.oldKeySealed(),
                        archive != null && archive.oldKeyMatched(),
                        archive == null ? null : archive.dataSha256(),
                        archive == null ? null : archive.format().name(),
                        backup ? OldAccount.NOT_CLOSED.name() : null,
                        backup ? OldAccountClosing.BACKUP : null)))
                .replaceWithVoid();
    }

    /** The account's import still under way (its new account takes no content of its own meanwhile), or null. */
    public Uni<ImportStatus> running(long accountId) {
        return pool.preparedQuery("SELECT * FROM import_jobs WHERE account_id = $1 AND state IN "
                        + sql(JobState.UNDER_WAY) + " LIMIT 1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext()
                        ? ImportStatus.of(ImportJob.of(rows.iterator().next()))
                        : null);
    }

    public Uni<ImportJob> own(long accountId, String jobId) {
        return pool.preparedQuery("SELECT * FROM import_jobs WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(jobId, accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("The import " + jobId);
                    }
                    return ImportJob.of(rows.iterator().next());
                });
    }

    /** The old pod a job imports from (its registration's id), or null for an unknown job. */
    Uni<Long> remotePodOf(String jobId) {
        return pool.preparedQuery("SELECT remote_pod_id FROM import_jobs WHERE id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null);
    }

    /**
     * Hands the account's job waiting for the old pod's consent the tokens it got (sealed at rest) and makes it due
     * at once; false when the job is not the account's or is not waiting.
     */
    public Uni<Boolean> connect(String jobId, long accountId, String accessToken, String refreshToken) {
        return pool.preparedQuery("UPDATE import_jobs SET state = '" + JobState.AUTHORIZED.name()
                        + "', access_token = $3, refresh_token = $4, attempts = 0, error = NULL, next_attempt_at = now(),"
                        + " updated_at = now() WHERE id = $1 AND account_id = $2 AND state IN "
                        + sql(JobState.AWAITING_CONSENT))
                .execute(Tuple.from(
                        Arrays.asList(jobId, accountId, secrets.seal(accessToken), secrets.seal(refreshToken))))
                .map(updated -> updated.rowCount() > 0);
    }

    /**
     * Calls account {@code accountId}'s job off, in one transaction with {@code also} (the account's own state); null
     * when it is past being called off or is another account's (a backstop behind {@link #own}). Whatever instance
     * ran it lets go at its next write.
     */
    Uni<ImportJob> abort(long accountId, String jobId, Function<SqlConnection, Uni<Void>> also) {
        return pool.withTransaction(c -> c.preparedQuery("UPDATE import_jobs SET state = '" + JobState.ABORTED.name()
                        + "', error = NULL, lease_owner = NULL, lease_until = NULL, old_key_sealed = NULL,"
                        + " updated_at = now() WHERE id = $1 AND account_id = $2 AND state IN "
                        + sql(JobState.ABORTABLE)
                        + " RETURNING *")
                .execute(Tuple.of(jobId, accountId))
                .chain(rows -> rows.iterator().hasNext()
                        ? also.apply(c).replaceWith(ImportJob.of(rows.iterator().next()))
                        : Uni.createFrom().nullItem()));
    }

    /** Drops the job's tokens: nothing can call the old pod for it any more. */
    Uni<Void> forgetTokens(String jobId) {
        return pool.preparedQuery("UPDATE import_jobs SET access_token = NULL, refresh_token = NULL WHERE id = $1")
                .execute(Tuple.of(jobId))
                .replaceWithVoid();
    }

    @Override
    public Uni<String> movedFrom(long accountId) {
        // Only a move whose old identity the old pod or the old key vouches for: a folder's claimed handle is no
        // alias. An archive's or export's is (the contacts' pods, checking its notice with the key they hold, ask
        // the new identity to name the old one), unless its old pod no longer knows the person: a data import
        // claims nothing, and neither does a backup (it holds no key).
        return pool.preparedQuery("SELECT old_handle FROM import_jobs WHERE account_id = $1 AND state IN "
                        + sql(JobState.MOVED_IN)
                        + " AND (remote_pod_id IS NOT NULL OR (from_archive AND old_account_reason IS DISTINCT FROM"
                        + " 'data-only' AND archive_format IS DISTINCT FROM '" + FolderImport.Format.BACKUP.name()
                        + "')) ORDER BY updated_at DESC LIMIT 1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** Forgets the old key of an archive's job once the move notices it signs are written. */
    Uni<Void> forgetOldKey(SqlConnection c, String jobId) {
        return c.preparedQuery("UPDATE import_jobs SET old_key_sealed = NULL WHERE id = $1")
                .execute(Tuple.of(jobId))
                .replaceWithVoid();
    }

    // What became of an archive's old account.

    /**
     * Records what the old pod did with the revocation. Its old key is forgotten unless {@code keepKey}: the person
     * is to choose (their choice is signed with it), or the move notices are still to be signed with it (they forget
     * it, in their own transaction).
     */
    Uni<Void> oldAccount(String jobId, OldAccountClosing.Outcome outcome, boolean keepKey) {
        return pool.preparedQuery("UPDATE import_jobs SET old_account = $2, old_account_reason = $3, old_key_sealed ="
                        + " CASE WHEN $4 THEN old_key_sealed END, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(jobId, outcome.state().name(), outcome.reason(), keepKey))
                .replaceWithVoid();
    }

    /**
     * The person brings the newer changes of an archive's old account through the online move {@code moveJobId}
     * (which closes the account): in {@code c}'s transaction, so only while they may still choose.
     */
    Uni<Boolean> oldAccountViaOnlineMove(SqlConnection c, long accountId, String archiveJobId, String moveJobId) {
        return c.preparedQuery("UPDATE import_jobs SET old_account = '" + OldAccount.VIA_ONLINE_MOVE.name()
                        + "', old_account_reason = $3, old_key_sealed = NULL, updated_at = now() WHERE id = $1"
                        + " AND account_id = $2 AND " + CHOOSING)
                .execute(Tuple.of(archiveJobId, accountId, moveJobId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** An archive's job whose person may still choose, and no other choice of theirs is under way. */
    private static final String CHOOSING =
            "old_account = '" + OldAccount.NEWER_CHANGES.name() + "' AND old_account_reason IS NULL";

    /**
     * Takes the person's choice to close the old account anyway: the job (with its old key) if they may still
     * choose, else null; one choice at a time (a second click waits for none: it finds the first under way).
     */
    Uni<ImportJob> takeChoice(long accountId, String jobId) {
        return pool.preparedQuery("UPDATE import_jobs SET old_account_reason = 'closing', updated_at = now() WHERE"
                        + " id = $1 AND account_id = $2 AND state = '" + JobState.DONE.name() + "' AND " + CHOOSING
                        + " RETURNING *")
                .execute(Tuple.of(jobId, accountId))
                .map(rows ->
                        rows.iterator().hasNext() ? ImportJob.of(rows.iterator().next()) : null);
    }

    /** Where the fate of the move notices sent after the person's choice is read. */
    Uni<Void> noticesSent(String jobId, String noticesUrl) {
        return pool.preparedQuery("UPDATE import_jobs SET notices_url = $2 WHERE id = $1")
                .execute(Tuple.of(jobId, noticesUrl))
                .replaceWithVoid();
    }

    /** Gives the choice back (the old pod did not answer): the person may choose again. */
    Uni<Void> giveChoiceBack(String jobId) {
        return pool.preparedQuery("UPDATE import_jobs SET old_account_reason = NULL WHERE id = $1 AND old_account = '"
                        + OldAccount.NEWER_CHANGES.name() + "' AND old_account_reason = 'closing'")
                .execute(Tuple.of(jobId))
                .replaceWithVoid();
    }

    /** The person keeps the old account open: its old key is forgotten. */
    Uni<Boolean> keepOldAccount(long accountId, String jobId) {
        return pool.preparedQuery("UPDATE import_jobs SET old_account = '" + OldAccount.KEPT_OPEN.name()
                        + "', old_key_sealed = NULL, updated_at = now() WHERE id = $1 AND account_id = $2 AND state = '"
                        + JobState.DONE.name() + "' AND " + CHOOSING)
                .execute(Tuple.of(jobId, accountId))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Gives back the choices a stopped pod left half made (a pod stopped while asking the old pod), and ends the
     * choices no one made in their time: the old account stays open, its old key is forgotten.
     */
    Uni<Void> endUnmadeChoices() {
        return pool.preparedQuery("UPDATE import_jobs SET old_account_reason = NULL WHERE old_account = '"
                        + OldAccount.NEWER_CHANGES.name() + "' AND old_account_reason = 'closing' AND updated_at <"
                        + " now() - interval '10 minutes'")
                .execute()
                .chain(() -> pool.preparedQuery("UPDATE import_jobs SET old_key_sealed = NULL, old_account = '"
                                + OldAccount.KEPT_OPEN.name() + "', old_account_reason = 'time-passed' WHERE"
                                + " old_account = '" + OldAccount.NEWER_CHANGES.name() + "' AND old_account_reason IS"
                                + " NULL AND updated_at < now() - $1 * interval '1 second'")
                        .execute(Tuple.of(OldAccountClosing.CHOOSE_WITHIN.toSeconds())))
                .replaceWithVoid();
    }

    // The runner's verbs.

    /**
     * Keeps this instance's lease on a job while a step runs longer than the lease: false when the job is no longer
     * this instance's to run (ended, called off, or taken over). Its progress and time are left as they are.
     */
    Uni<Boolean> renew(String instance, String jobId, Duration lease) {
        return pool.preparedQuery("UPDATE import_jobs SET lease_until = now() + $3 * interval '1 millisecond'"
                        + " WHERE id = $1 AND lease_owner = $2 AND state IN " + RUNNING)
                .execute(Tuple.of(jobId, instance, lease.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Takes the next due job that no live lease holds (or that this instance holds already), none of {@code busy}:
     * an authorized one starts importing. Null when none is due.
     */
    Uni<ImportJob> claimNext(String instance, Duration lease, Collection<String> busy) {
        return pool.preparedQuery("UPDATE import_jobs SET lease_owner = $1, lease_until = now() + $2 * interval"
                        + " '1 millisecond', state = CASE WHEN state = '" + JobState.AUTHORIZED.name() + "' THEN '"
                        + JobState.IMPORTING.name() + "' ELSE state END, updated_at = now() WHERE id = (SELECT id FROM"
                        + " import_jobs WHERE state IN " + RUNNING + " AND next_attempt_at <= now() AND (lease_until IS"
                        + " NULL OR lease_until < now() OR lease_owner = $1) AND NOT (id = ANY($3)) ORDER BY"
                        + " next_attempt_at FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING *")
                .execute(Tuple.of(instance, lease.toMillis(), busy.toArray(String[]::new)))
                .map(ImportJobs::first);
    }

    /**
     * What a step sets on the job besides its place: the counts to add to {@code done}, and when the account
     * document was (re)read, the snapshot and totals it names and whether it starts a delta round.
     */
    record Advance(String phase, String cursor, JsonObject counted, Restart restart) {}

    /** The snapshot the account document reads up to, its totals, and whether a delta starts after the old one. */
    record Restart(Long snapshot, JsonObject totals, boolean delta) {}

    /**
     * Writes a step and moves the job on, in one transaction, only while {@code instance} holds the job: the job's
     * row is locked first, then {@code write} runs, then the job gets its next place. Null when the job was no
     * longer the instance's (nothing of {@code write} stays).
     */
    Uni<ImportJob> advance(
            String instance, ImportJob job, Duration lease, Function<SqlConnection, Uni<Void>> write, Advance next) {
        JobState state = "move".equals(next.phase()) ? JobState.FINISHING : JobState.IMPORTING;
        Restart restart = next.restart();
        return pool.withTransaction(c -> c.preparedQuery("SELECT 1 FROM import_jobs WHERE id = $1 AND lease_owner = $2"
                                + " AND state IN " + RUNNING + " FOR UPDATE")
                        .execute(Tuple.of(job.id(), instance))
                        .chain(held -> {
                            if (!held.iterator().hasNext()) {
                                throw new NotHeld();
                            }
                            return write.apply(c);
                        })
                        .chain(() -> c.preparedQuery("UPDATE import_jobs SET phase = $3, cursor = $4, state = $5,"
                                        + " done = " + addCounts()
                                        + ", attempts = 0, error = NULL, lease_until = now() + $6"
                                        + " * interval '1 millisecond', updated_at = now(), snapshot = coalesce($8,"
                                        + " snapshot), totals = coalesce($9, totals),"
                                        // The right-hand snapshot is the old one: a delta reads what changed after it.
                                        + " delta_after = CASE WHEN $10 THEN snapshot ELSE delta_after END"
                                        + " WHERE id = $1 AND lease_owner = $2 RETURNING *")
                                .execute(Tuple.from(Arrays.asList(
                                        job.id(),
                                        instance,
                                        next.phase(),
                                        next.cursor(),
                                        state.name(),
                                        lease.toMillis(),
                                        next.counted(),
                                        restart == null ? null : restart.snapshot(),
                                        restart == null ? null : restart.totals(),
                                        restart != null && restart.delta())))))
                .map(ImportJobs::first)
                .onFailure(NotHeld.class)
                .recoverWithNull();
    }

    /** done + counted, key by key. */
    private static String addCounts() {
        return "(SELECT coalesce(jsonb_object_agg(k, coalesce((done ->> k)::bigint, 0)"
                + " + coalesce(($7::jsonb ->> k)::bigint, 0)), '{}'::jsonb)"
                + " FROM (SELECT jsonb_object_keys(done) AS k UNION SELECT jsonb_object_keys($7::jsonb)) keys)";
    }

    /**
     * Ends the job ({@link JobState#ENDS}) with {@code also} (the account's own state) in one transaction, only
     * while {@code instance} holds it; its tokens go. Null when the job was no longer the instance's.
     */
    Uni<ImportJob> finish(
            String instance,
            ImportJob job,
            JobState end,
            String error,
            String noticesUrl,
            Function<SqlConnection, Uni<Void>> also) {
        if (!JobState.ENDS.contains(end)) {
            throw new IllegalArgumentException(end + " does not end a job");
        }
        return pool.withTransaction(c -> c.preparedQuery("UPDATE import_jobs SET state = $2, error = $3,"
                        + " notices_url = $4, phase = CASE WHEN $2 = '" + JobState.DONE.name()
                        + "' THEN 'done' ELSE phase END, lease_owner = NULL, lease_until = NULL,"
                        + " access_token = NULL, refresh_token = NULL, updated_at = now(), old_key_sealed = CASE WHEN"
                        + " $2 = '" + JobState.DONE.name() + "' AND old_account = '" + OldAccount.NEWER_CHANGES.name()
                        + "' THEN old_key_sealed END"
                        + " WHERE id = $1"
                        + " AND lease_owner = $5 AND state IN " + RUNNING + " RETURNING *")
                .execute(Tuple.from(Arrays.asList(job.id(), end.name(), error, noticesUrl, instance)))
                .chain(rows -> rows.iterator().hasNext()
                        ? also.apply(c).replaceWith(ImportJob.of(rows.iterator().next()))
                        : Uni.createFrom().nullItem()));
    }

    /**
     * Lets go of the job until {@code wait} has passed, with its {@code attempts} and the {@code reason} the person
     * reads; false when the job was no longer the instance's.
     */
    Uni<Boolean> retryLater(String instance, ImportJob job, int attempts, String reason, Duration wait) {
        return pool.preparedQuery("UPDATE import_jobs SET attempts = $2, error = $3, next_attempt_at = now() + $4"
                        + " * interval '1 millisecond', lease_owner = NULL, lease_until = NULL, updated_at = now()"
                        + " WHERE id = $1 AND lease_owner = $5 AND state IN " + RUNNING)
                .execute(Tuple.of(job.id(), attempts, reason, wait.toMillis(), instance))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * The old pod no longer takes this pod's tokens: the job waits for the person to confirm again. False when the
     * job was no longer the instance's (an import called off meanwhile stays called off).
     */
    Uni<Boolean> needsConsent(String instance, ImportJob job, String reason) {
        return pool.preparedQuery("UPDATE import_jobs SET state = '" + JobState.NEEDS_CONSENT.name()
                        + "', error = $2, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1"
                        + " AND lease_owner = $3 AND state IN " + RUNNING)
                .execute(Tuple.of(job.id(), reason, instance))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The folders jobs under way read (relative to the exports directory). */
    Uni<Set<String>> foldersUnderWay() {
        return pool.preparedQuery("SELECT source_folder FROM import_jobs WHERE source_folder IS NOT NULL AND state IN "
                        + sql(JobState.UNDER_WAY))
                .execute()
                .map(rows -> {
                    Set<String> folders = new HashSet<>();
                    rows.forEach(row -> folders.add(row.getString(0)));
                    return folders;
                });
    }

    // The tokens, for the old pod's client.

    /** The job's sealed access and refresh tokens, its row locked until {@code c}'s transaction ends. */
    Uni<Row> lockTokens(SqlConnection c, String jobId) {
        return c.preparedQuery("SELECT access_token, refresh_token FROM import_jobs WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.iterator().next());
    }

    /** Keeps fresh tokens (sealed here) for the job. */
    Uni<Void> storeTokens(SqlConnection c, String jobId, String accessToken, String refreshToken) {
        return c.preparedQuery("UPDATE import_jobs SET access_token = $2, refresh_token = $3, updated_at = now()"
                        + " WHERE id = $1")
                .execute(Tuple.of(jobId, secrets.seal(accessToken), secrets.seal(refreshToken)))
                .replaceWithVoid();
    }

    // The report on the move notices, for MoveNoticeWatch.

    /** A job whose old pod reports on its move notices at {@code noticesUrl}. */
    record Watched(String id, String noticesUrl) {}

    /** Jobs done within {@code lifetime} whose notice report is not yet final. */
    Multi<Watched> watched(Duration lifetime) {
        return pool.preparedQuery("SELECT id, notices_url FROM import_jobs WHERE state = '" + JobState.DONE.name()
                        + "' AND notices_url IS NOT NULL AND (notices IS NULL OR notices ->> 'verdict' = 'in-progress')"
                        + " AND updated_at > now() - $1 * interval '1 second'")
                .execute(Tuple.of(lifetime.toSeconds()))
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> new Watched(row.getString(0), row.getString(1)));
    }

    Uni<Void> notices(String jobId, JsonObject report) {
        return pool.preparedQuery("UPDATE import_jobs SET notices = $2 WHERE id = $1")
                .execute(Tuple.of(jobId, report))
                .replaceWithVoid();
    }

    private static ImportJob first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? ImportJob.of(rows.iterator().next()) : null;
    }

    /** The instance no longer holds the job (called off, or resumed elsewhere). */
    private static final class NotHeld extends RuntimeException {
        NotHeld() {
            super(null, null, false, false);
        }
    }
}
