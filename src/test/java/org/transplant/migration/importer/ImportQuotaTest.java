package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * An old pod that announces a billion photos and sends them, each within the upload limit, cannot fill this pod's
 * disk or database: the import stops at this pod's quotas per import, says why, and keeps nothing of the page that
 * went past them. Small quotas and pages of two need settings of their own (one more pod start for the suite).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ImportQuotaTest.SmallQuotas.class)
class ImportQuotaTest {

    static final int PHOTO_BYTES = 100_000;

    public static class SmallQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "transplant.importer.page-size",
                    "2",
                    // Two and a half photos of PHOTO_BYTES.
                    "transplant.importer.max-photo-bytes-per-import",
                    "250000",
                    "transplant.importer.max-items-per-import",
                    "12");
        }
    }

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    TransplantConfig config;

    @Inject
    PhotoStore store;

    @Test
    void photosPastTheQuotaEndTheImportAndLeaveNoFileBehind() throws Throwable {
        HostileOldPod old = HostileOldPod.start().announcesPhotos(1_000_000_000L);
        List<String> guids = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            guids.add(Guids.next());
            bytes.add(HostilePhotosImportTest.padded(HostilePhotosImportTest.png(i + 1, 1), PHOTO_BYTES));
            old.photo(guids.get(i), "image/png", bytes.get(i));
        }
        try (old) {
            String job = imports().start("iq_photos", old.issuer(), "COPY");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error"))
                    .startsWith("This import would have stored ")
                    .endsWith(" of photos, more than this pod allows per import (244.1 KiB)");
            // The first page (two photos, 200,000 bytes) is kept; the second went past the quota.
            assertThat(photosOf("iq_photos")).containsExactlyInAnyOrder(guids.get(0), guids.get(1));
            // Nothing of the page past the quota stayed on disk, not as a photo, not as a part file.
            Set<String> page2 = Set.of(HostileOldPod.sha256(bytes.get(2)), HostileOldPod.sha256(bytes.get(3)));
            try (Stream<Path> files = Files.walk(Path.of(config.dataDir()).resolve("photos"))) {
                assertThat(files.filter(Files::isRegularFile).map(ImportQuotaTest::sha))
                        .noneMatch(page2::contains);
            }
            for (String guid : guids) {
                assertThat(store.partOf(job, guid)).doesNotExist();
            }
            // The third page was never asked for.
            assertThat(old.contentRequests(guids.get(4))).isEmpty();
            assertThat(old.contentRequests(guids.get(5))).isEmpty();
            // The person reads why on the import's page.
            assertThat(PodClient.as(PodClient.logIn("iq_photos"))
                            .get("/api/v1/imports/" + job)
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("status"))
                    .startsWith("The move stopped: This import would have stored ");
        }
    }

    @Test
    void unfinishedPhotosOnDiskCountTowardTheQuota() throws Throwable {
        HostileOldPod old = HostileOldPod.start().announcesPhotos(1_000_000_000L);
        try (old) {
            String first = Guids.next();
            old.photo(
                    first, "image/png", HostilePhotosImportTest.padded(HostilePhotosImportTest.png(3, 3), PHOTO_BYTES));
            // An earlier attempt left a part of that photo larger than the whole quota: the bytes are on disk.
            String job = imports().start("iq_parts", old.issuer(), "COPY", id -> {
                try {
                    Path part = store.partOf(id, first);
                    Files.createDirectories(part.getParent());
                    Files.write(part, new byte[300_000]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Row ended = imports().awaitEnd(job);
            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error")).contains("would have held").contains("more than this pod allows");
            assertThat(store.partsOf(job)).doesNotExist();
        }
    }

    @Test
    void recordsPastTheQuotaEndTheImportBeforeThePageIsWritten() throws Throwable {
        HostileOldPod old = HostileOldPod.start().announcesPhotos(1_000_000_000L);
        for (int i = 0; i < 20; i++) {
            old.photo(Guids.next(), "image/png", HostilePhotosImportTest.png(1, i + 1));
        }
        try (old) {
            // Linked photos: a row each, no bytes.
            String job = imports().start("iq_records", old.issuer(), "LINK");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error"))
                    .isEqualTo("This import would have written 14 records, more than this pod allows per import (12)");
            assertThat(photosOf("iq_records")).hasSize(12);
        }
    }

    private List<String> photosOf(String username) throws Throwable {
        return VertxContextSupport.<List<String>>subscribeAndAwait(() -> pool.preparedQuery(
                        "SELECT p.guid FROM" + " photos p JOIN accounts a ON a.id = p.account_id WHERE a.username = $1")
                .execute(Tuple.of(username))
                .map(rows -> {
                    List<String> guids = new ArrayList<>();
                    rows.forEach(row -> guids.add(row.getString(0)));
                    return guids;
                }));
    }

    private static String sha(Path file) {
        try {
            return HostileOldPod.sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InTestImports imports() {
        return new InTestImports(pool, secrets);
    }
}
