package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * A finish retried after the old pod answered (the step failed later, say while writing the notices) does not ask
 * again: it goes on from the answer recorded with the job, whose key may already be gone with it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class OldAccountClosingTest {

    @Inject
    Pool pool;

    @Inject
    OldAccountClosing closing;

    @Inject
    ImportJobs jobs;

    @Test
    void aRetriedFinishGoesOnFromTheAnswerRecorded() {
        PodClient.signedIn("oac_ret");
        long account = Long.parseLong(SqlLines.of(pool, "SELECT id FROM accounts WHERE username = 'oac_ret'")
                .get(0));
        SqlLines.of(
                pool,
                "INSERT INTO import_jobs (id, account_id, old_handle, new_handle, source_folder, photo_mode, state,"
                        + " from_archive, old_account, old_account_reason) VALUES ('oac-ret-job', " + account
                        + ", 'oac_ret@gone.example', '" + PodClient.handle("oac_ret") + "',"
                        + " 'opened-archive-retried0000000000', 'COPY', 'DONE', true, 'NOT_CLOSED',"
                        + " 'unreachable') RETURNING id");
        ImportJob job = jobs.own(account, "oac-ret-job").await().indefinitely();

        OldAccountClosing.Outcome outcome = closing.askOldPod(job).await().indefinitely();

        assertThat(outcome.state()).isEqualTo(OldAccount.NOT_CLOSED);
        assertThat(outcome.reason()).isEqualTo("unreachable");
        assertThat(outcome.tellContacts())
                .as("the dead pod's contacts are still told")
                .isTrue();
    }
}
