package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/** One account never calls off another's import: neither through the API nor by the job store's own statement. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ImportAbortOwnerTest {

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    ImportJobs jobs;

    @Test
    void anotherAccountsJobIsNotCalledOff() throws Throwable {
        InTestImports imports = new InTestImports(pool, secrets);
        String job = waitingJob(imports, "ab_owner");
        long owner = imports.row("SELECT account_id FROM import_jobs WHERE id = $1", job)
                .getLong(0);
        String stranger = PodClient.signedIn("ab_stranger");
        long strangerId = imports.row("SELECT id FROM accounts WHERE username = 'ab_stranger'")
                .getLong(0);

        PodClient.as(stranger).post("/api/v1/imports/" + job + "/abort").then().statusCode(404);
        ImportJob aborted = VertxContextSupport.subscribeAndAwait(
                () -> jobs.abort(strangerId, job, c -> Uni.createFrom().voidItem()));

        assertThat(aborted).as("the statement itself names the account").isNull();
        assertThat(imports.row("SELECT state FROM import_jobs WHERE id = $1", job)
                        .getString(0))
                .isEqualTo("AUTHORIZED");
        assertThat(VertxContextSupport.<ImportJob>subscribeAndAwait(() ->
                                jobs.abort(owner, job, c -> Uni.createFrom().voidItem()))
                        .state())
                .isEqualTo(JobState.ABORTED);
    }

    /** An authorized job that no runner takes while the test runs (its next attempt is an hour away). */
    private String waitingJob(InTestImports imports, String username) throws Throwable {
        PodClient.createAccount(username);
        long account = imports.row("SELECT id FROM accounts WHERE username = $1", username)
                .getLong(0);
        long pod = imports.row(
                        "INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key) VALUES ($1, 'client',"
                                + " $2, $3) RETURNING id",
                        "http://old.invalid:1",
                        secrets.seal("secret"),
                        UUID.randomUUID().toString())
                .getLong(0);
        String job = UUID.randomUUID().toString();
        imports.execute(
                "INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode, state,"
                        + " next_attempt_at) VALUES ($1, $2, 'old@old.invalid:1', $3, $4, 'SKIP', 'AUTHORIZED',"
                        + " now() + interval '1 hour')",
                job,
                account,
                PodClient.handle(username),
                pod);
        return job;
    }
}
