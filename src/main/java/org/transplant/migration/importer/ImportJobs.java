package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.web.ProblemException;

/** Reading a person's own import jobs: another account's job is a 404, as if it did not exist. */
@ApplicationScoped
public class ImportJobs {

    private final Pool pool;

    public ImportJobs(Pool pool) {
        this.pool = pool;
    }

    /** The account's import still under way (its new account takes no content of its own meanwhile), or null. */
    public Uni<ImportStatus> running(long accountId) {
        return pool.preparedQuery("SELECT * FROM import_jobs WHERE account_id = $1 AND state IN ('REQUESTED',"
                + " 'AUTHORIZED', 'IMPORTING', 'FINISHING', 'NEEDS_CONSENT') LIMIT 1").execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext() ? ImportStatus.of(ImportJob.of(rows.iterator().next())) : null);
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
}
