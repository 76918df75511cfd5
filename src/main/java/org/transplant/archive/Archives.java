package org.transplant.archive;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.transplant.pod.session.SessionTokens;
import org.transplant.web.ProblemException;

/** The archive jobs' store: the {@code archives} table and the verbs of a job's life. */
@ApplicationScoped
public class Archives implements org.transplant.migration.move.IssuedArchives {

    /**
     * How long an archive may close its old account (with its password, anyone holding it may): after that, the
     * person moves from a live old pod online.
     */
    static final java.time.Duration REVOKES_FOR = java.time.Duration.ofDays(180);

    /** A job claimed for writing, with the password as sealed. */
    record Claimed(ArchiveJob job, String passwordSealed) {
        @Override
        public String toString() {
            return "Claimed[" + job.id() + "]";
        }
    }

    /** How often a job is taken up: one whose writer died this often (it crashed the pod, say) fails. */
    static final int MAX_ATTEMPTS = 3;

    private final Pool pool;

    public Archives(Pool pool) {
        this.pool = pool;
    }

    /** A new job, queued; 409 while another of the account's archives is under way. */
    Uni<ArchiveJob> create(long accountId, PhotoChoice photos, String passwordSealed) {
        String id = SessionTokens.newToken().substring(0, 22);
        return pool.preparedQuery("INSERT INTO archives (id, account_id, state, step, photos, password_sealed)"
                        + " VALUES ($1, $2, 'QUEUED', 'waiting', $3, $4) RETURNING " + ArchiveJob.COLUMNS)
                .execute(Tuple.of(id, accountId, photos.value(), passwordSealed))
                .map(rows -> ArchiveJob.of(rows.iterator().next()))
                .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
                .transform(e -> ProblemException.conflict(
                        "archive-under-way", "An archive of this account is being written; wait for it to finish"));
    }

    /** The account's own archive {@code id}; 404 for any other (whether it exists or not). */
    Uni<ArchiveJob> own(long accountId, String id) {
        return pool.preparedQuery("SELECT " + ArchiveJob.COLUMNS + " FROM archives WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(id, accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("The archive " + id);
                    }
                    return ArchiveJob.of(rows.iterator().next());
                });
    }

    /** The account's archives, newest first. */
    Uni<List<ArchiveJob>> ofAccount(long accountId) {
        return pool.preparedQuery("SELECT " + ArchiveJob.COLUMNS
                        + " FROM archives WHERE account_id = $1 ORDER BY created_at DESC LIMIT 20")
                .execute(Tuple.of(accountId))
                .map(Archives::jobs);
    }

    /** The next job due (queued, or written by an instance whose lease ran out), or null. */
    Uni<Claimed> claimNext(String owner, Duration lease) {
        return pool.preparedQuery("UPDATE archives SET state = 'WRITING', step = 'exporting', lease_owner = $1,"
                        + " lease_until = now() + $2 * interval '1 second', attempts = attempts + 1"
                        + " WHERE id = (SELECT id FROM archives WHERE state = 'QUEUED'"
                        + " OR (state = 'WRITING' AND lease_until < now() AND attempts < $3)"
                        + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING " + ArchiveJob.COLUMNS + ", password_sealed")
                .execute(Tuple.of(owner, lease.toSeconds(), MAX_ATTEMPTS))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Claimed(ArchiveJob.of(row), row.getString("password_sealed"));
                });
    }

    /** The jobs whose writers died {@link #MAX_ATTEMPTS} times, now failed (password wiped). */
    Uni<List<ArchiveJob>> giveUp() {
        return pool.preparedQuery("UPDATE archives SET state = 'FAILED', step = 'failed', password_sealed = NULL,"
                        + " lease_owner = NULL, lease_until = NULL, error = 'The archive could not be written'"
                        + " WHERE state = 'WRITING' AND lease_until < now() AND attempts >= $1"
                        + " RETURNING " + ArchiveJob.COLUMNS)
                .execute(Tuple.of(MAX_ATTEMPTS))
                .map(Archives::jobs);
    }

    /** Says what the writer does now and keeps its lease; false when it is no longer the job's writer. */
    Uni<Boolean> step(String id, String owner, String step, Duration lease) {
        return pool.preparedQuery("UPDATE archives SET step = $3, lease_until = now() + $4 * interval '1 second'"
                        + " WHERE id = $1 AND lease_owner = $2 AND state = 'WRITING'")
                .execute(Tuple.of(id, owner, step, lease.toSeconds()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Keeps the writer's lease, its step unchanged; false when it is no longer the job's writer. */
    Uni<Boolean> renew(String id, String owner, Duration lease) {
        return pool.preparedQuery("UPDATE archives SET lease_until = now() + $3 * interval '1 second'"
                        + " WHERE id = $1 AND lease_owner = $2 AND state = 'WRITING'")
                .execute(Tuple.of(id, owner, lease.toSeconds()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Written: downloadable until {@code keep} from now; the password is wiped. */
    Uni<Boolean> ready(String id, String owner, long bytes, String sha256, String dataSha256, Duration keep) {
        return pool.preparedQuery("UPDATE archives SET state = 'READY', step = 'ready', password_sealed = NULL,"
                        + " lease_owner = NULL, lease_until = NULL, bytes = $3, sha256 = $4, data_sha256 = $6,"
                        + " ready_at = now(), expires_at = now() + $5 * interval '1 second'"
                        + " WHERE id = $1 AND lease_owner = $2 AND state = 'WRITING'")
                .execute(Tuple.tuple(java.util.List.of(id, owner, bytes, sha256, keep.toSeconds(), dataSha256)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Whether this pod wrote, for the account, the archive whose encrypted part has {@code dataSha256}, within
     * {@link #REVOKES_FOR}, and its owner has not removed it (it may have expired: the file goes, the record stays).
     */
    @Override
    public Uni<Boolean> issued(long accountId, String dataSha256) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM archives WHERE account_id = $1 AND data_sha256 = $2"
                        + " AND state IN ('READY', 'EXPIRED') AND created_at > now() - $3 * interval '1 second')")
                .execute(Tuple.of(accountId, dataSha256, REVOKES_FOR.toSeconds()))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Not written, and why; the password is wiped. */
    Uni<Boolean> failed(String id, String owner, String error) {
        return pool.preparedQuery("UPDATE archives SET state = 'FAILED', step = 'failed', password_sealed = NULL,"
                        + " lease_owner = NULL, lease_until = NULL, error = $3"
                        + " WHERE id = $1 AND lease_owner = $2 AND state = 'WRITING'")
                .execute(Tuple.of(id, owner, error))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The archives past their time, still marked ready: their files are to be removed, then they are marked. */
    Uni<List<ArchiveJob>> pastTheirTime() {
        return pool.preparedQuery("SELECT " + ArchiveJob.COLUMNS + " FROM archives"
                        + " WHERE state = 'READY' AND expires_at < now() LIMIT 100")
                .execute()
                .map(Archives::jobs);
    }

    /** Marks an archive whose file is gone as expired. */
    Uni<Void> expired(String id) {
        return pool.preparedQuery(
                        "UPDATE archives SET state = 'EXPIRED', step = 'expired' WHERE id = $1 AND state = 'READY'")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Removes the account's archive {@code id} (whatever its state) and answers it; 404 for any other. */
    Uni<ArchiveJob> delete(long accountId, String id) {
        return pool.preparedQuery(
                        "DELETE FROM archives WHERE id = $1 AND account_id = $2 RETURNING " + ArchiveJob.COLUMNS)
                .execute(Tuple.of(id, accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("The archive " + id);
                    }
                    return ArchiveJob.of(rows.iterator().next());
                });
    }

    /** Every archive whose files may be on disk (queued, being written, downloadable). */
    Uni<List<ArchiveJob>> onDisk() {
        return pool.preparedQuery("SELECT " + ArchiveJob.COLUMNS + " FROM archives"
                        + " WHERE state IN ('QUEUED', 'WRITING', 'READY')")
                .execute()
                .map(Archives::jobs);
    }

    private static List<ArchiveJob> jobs(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<ArchiveJob> jobs = new ArrayList<>();
        rows.forEach(row -> jobs.add(ArchiveJob.of(row)));
        return jobs;
    }
}
