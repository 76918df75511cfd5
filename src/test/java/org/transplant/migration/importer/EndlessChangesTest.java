package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PostgresResource;

/**
 * An old pod that answers every move with "changes pending" must not hold one of the runner's job slots for ever:
 * a round that reports no new change ends the job, and so does an old pod whose changes never settle.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class EndlessChangesTest {

    private static final JsonObject CHANGES_PENDING = new JsonObject()
            .put("type", "https://transplant.social/problems/changes-pending")
            .put("status", 409);

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Test
    void changesPendingWithoutANewSnapshotEndsTheImport() throws Throwable {
        try (EmptyOldPod old = EmptyOldPod.start(409, CHANGES_PENDING, null)) {
            Row ended = imports().awaitEnd(imports().start("ec_still", old.issuer(), "SKIP"));
            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error")).contains("reports none after what was copied");
        }
    }

    @Test
    void changesThatNeverSettleEndTheImportAfterAFewRounds() throws Throwable {
        try (EmptyOldPod old = EmptyOldPod.start(409, CHANGES_PENDING, null).advancing()) {
            Row ended = imports().awaitEnd(imports().start("ec_busy", old.issuer(), "SKIP"));
            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error"))
                    .contains("kept reporting new changes (" + ImportRunner.MAX_DELTA_ROUNDS);
            assertThat(((JsonObject) ended.getValue("done")).getLong("deltaRounds"))
                    .isEqualTo(ImportRunner.MAX_DELTA_ROUNDS);
        }
    }

    private InTestImports imports() {
        return new InTestImports(pool, secrets);
    }
}
