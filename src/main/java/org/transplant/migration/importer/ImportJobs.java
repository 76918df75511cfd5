package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import org.transplant.discovery.MoveOrigins;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.web.ProblemException;

/**
 * Reading a person's own import jobs: another account's job is a 404, as if it did not exist. Discovery asks here
 * which identity an account moved from.
 */
@ApplicationScoped
public class ImportJobs implements MoveOrigins {

    private final Pool pool;
    private final SecretBox secrets;

    public ImportJobs(Pool pool, SecretBox secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    /** The account's import still under way (its new account takes no content of its own meanwhile), or null. */
    public Uni<ImportStatus> running(long accountId) {
        return pool.preparedQuery("SELECT * FROM import_jobs WHERE account_id = $1 AND state IN ('REQUESTED',"
                        + " 'AUTHORIZED', 'IMPORTING', 'FINISHING', 'NEEDS_CONSENT') LIMIT 1")
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

    /**
     * Hands the account's job waiting for the old pod's consent the tokens it got (sealed at rest) and makes it due
     * at once; false when the job is not the account's or is not waiting.
     */
    public Uni<Boolean> connect(String jobId, long accountId, String accessToken, String refreshToken) {
        return pool.preparedQuery("UPDATE import_jobs SET state = 'AUTHORIZED', access_token = $3,"
                        + " refresh_token = $4, attempts = 0, error = NULL, next_attempt_at = now(), updated_at = now()"
                        + " WHERE id = $1 AND account_id = $2 AND state IN ('REQUESTED', 'NEEDS_CONSENT')")
                .execute(Tuple.from(
                        Arrays.asList(jobId, accountId, secrets.seal(accessToken), secrets.seal(refreshToken))))
                .map(updated -> updated.rowCount() > 0);
    }

    @Override
    public Uni<String> movedFrom(long accountId) {
        return pool.preparedQuery("SELECT old_handle FROM import_jobs WHERE account_id = $1"
                        + " AND state IN ('FINISHING', 'DONE') ORDER BY updated_at DESC LIMIT 1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }
}
