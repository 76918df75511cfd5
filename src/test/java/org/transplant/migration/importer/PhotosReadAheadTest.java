package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PostgresResource;

/**
 * Photos read ahead while the posts are copied, from an old pod that lies about some of them: what is whole and
 * true is kept without being asked for again, and the lies end as they do without reading ahead (left out, with
 * the same reasons, nothing stored, no part file left), at the price of at most one request more a photo.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(PhotosReadAheadTest.ReadingAhead.class)
class PhotosReadAheadTest {

    public static class ReadingAhead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transplant.importer.read-photos-ahead", "true");
        }
    }

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    PhotoStore store;

    @Test
    void whatIsTrueIsKeptOnceAndWhatLiesIsLeftOutAsBefore() throws Throwable {
        String missing = Guids.next(), damaged = Guids.next(), fine = Guids.next(), other = Guids.next();
        byte[] png = HostilePhotosImportTest.png(2, 3);
        byte[] otherPng = HostilePhotosImportTest.png(4, 1);
        try (HostileOldPod old = HostileOldPod.start()
                .photo(missing, "image/png", HostilePhotosImportTest.png(1, 2))
                .answers(missing, 404)
                .damagedPhoto(damaged, HostilePhotosImportTest.png(1, 4))
                .photo(fine, "image/png", png)
                .photo(other, "image/png", otherPng)) {
            InTestImports imports = new InTestImports(pool, secrets);
            String job = imports.start("ra_photos", old.issuer(), "COPY");
            Row row = imports.awaitEnd(job);
            assertThat(row.getString("state"))
                    .as("error: %s", row.getString("error"))
                    .isEqualTo("DONE");
            JsonObject done = (JsonObject) row.getValue("done");

            assertThat(done.getLong("photos")).isEqualTo(2);
            assertThat(done.getLong("photosSkipped")).isEqualTo(2);
            for (String kept : List.of(fine, other)) {
                // Read ahead whole and true: kept from the part, never asked for again.
                assertThat(old.contentRequests(kept)).containsExactly("none");
            }
            assertThat(Files.readAllBytes(
                            store.resolve(imports.row("SELECT file_name FROM photos WHERE guid = $1", fine)
                                    .getString(0))))
                    .isEqualTo(png);
            assertThat(imports.row("SELECT count(*) FROM photos WHERE guid = ANY($1)", (Object)
                                    new String[] {missing, damaged})
                            .getLong(0))
                    .isZero();
            // Gone: once ahead, once in the photos phase. Damaged: once ahead, then once more from byte 0.
            assertThat(old.contentRequests(missing)).hasSizeLessThanOrEqualTo(2);
            assertThat(old.contentRequests(damaged)).hasSizeLessThanOrEqualTo(3);
            assertThat(imports.row(
                                    "SELECT string_agg(item_key || ': ' || reason, ' | ' ORDER BY item_key) FROM import_left_out"
                                            + " WHERE job_id = $1",
                                    job)
                            .getString(0))
                    .contains(missing + ": " + PhotoRefused.Reason.GONE.words())
                    .contains(damaged + ": " + PhotoRefused.Reason.DAMAGED.words());
            assertThat(store.partsOf(job)).doesNotExist();
            // The page of photos was read twice: ahead, during the posts, and by the photos phase itself.
            assertThat(old.photoPagesRead()).isEqualTo(2);
        }
    }
}
