package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * A step that takes longer than the lease (here a page the old pod holds back) keeps the job's lease: another
 * instance cannot take the job over while this one still works on it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ImportLeaseHeartbeatTest.ShortLease.class)
class ImportLeaseHeartbeatTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transplant.importer.lease", LEASE.toString());
        }
    }

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    ImportJobs jobs;

    @Test
    void aStepLongerThanTheLeaseKeepsItFromOtherInstances() throws Throwable {
        InTestImports imports = new InTestImports(pool, secrets);
        try (EmptyOldPod old = EmptyOldPod.start(200, null, null).holdingFirst("/migration/v1/contacts", 503)) {
            String job = imports.start("lh_gus", old.issuer(), "SKIP");
            assertThat(old.awaitHeld()).as("the runner asks for contacts").isTrue();
            OffsetDateTime claimedUntil = leaseUntil(imports, job);
            // Past the lease the runner took the job with, three leases on, while the page is still held back.
            Until.seen(
                    "three leases to pass",
                    () -> imports.holds(
                            "SELECT now() > $1::timestamptz + $2 * interval '1 millisecond'",
                            claimedUntil,
                            2 * LEASE.toMillis()),
                    passed -> passed);

            assertThat(leaseUntil(imports, job)).as("the lease renewed").isAfter(claimedUntil);
            ImportJob taken =
                    VertxContextSupport.subscribeAndAwait(() -> jobs.claimNext("another-instance", LEASE, List.of()));
            assertThat(taken).as("another instance's claim").isNull();

            old.release();
            // The held page is answered 503: the job waits for a later attempt and lets its lease go.
            Until.seen(
                    "the job to let its lease go",
                    () -> imports.holds("SELECT lease_owner IS NULL FROM import_jobs WHERE id = $1", job),
                    free -> free);
        }
    }

    private static OffsetDateTime leaseUntil(InTestImports imports, String job) throws Throwable {
        return imports.row("SELECT lease_until FROM import_jobs WHERE id = $1", job)
                .getOffsetDateTime(0);
    }
}
