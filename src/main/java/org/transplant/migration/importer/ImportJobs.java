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
