package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * An import called off while the runner waits for the old pod keeps its end: the failure the runner then meets
 * must not turn it into a failed import, nor mail the person that it failed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CalledOffMidStepTest {

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    ImportAbort abort;

    @Inject
    PhotoStore photos;

    @Inject
    MockMailbox mailbox;

    @Test
    void aFailureAfterTheAbortLeavesTheJobAborted() throws Throwable {
        InTestImports imports = new InTestImports(pool, secrets);
        try (EmptyOldPod old = EmptyOldPod.start(200, null, null).holdingFirst("/migration/v1/contacts", 403)) {
            String job = imports.start("co_fay", old.issuer(), "SKIP");
            assertThat(old.awaitHeld()).as("the runner asks for contacts").isTrue();
            long account = imports.row("SELECT account_id FROM import_jobs WHERE id = $1", job)
                    .getLong(0);
            String email = imports.row("SELECT email FROM accounts WHERE id = $1", account)
                    .getString(0);
            VertxContextSupport.subscribeAndAwait(() -> abort.abort(account, job));
            // Whatever ends the job drops its part files last: a folder made now shows when the runner is through.
            Path parts = Files.createDirectories(photos.partsOf(job));
            old.release();
            Until.seen("the runner through with the refused page", () -> Files.exists(parts), exists -> !exists);

            assertThat(imports.row("SELECT state FROM import_jobs WHERE id = $1", job)
                            .getString(0))
                    .isEqualTo("ABORTED");
            assertThat(mailbox.getMailsSentTo(email)).isEmpty();
        }
    }
}
