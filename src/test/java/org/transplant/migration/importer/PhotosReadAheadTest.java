package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * Photos read ahead while the posts are copied, from an old pod that lies about some of them: what is whole and
 * true is kept without being asked for again, and the lies end as they do without reading ahead (left out, with
 * the same reasons, nothing stored, no part file left), at the price of at most one request more a photo. And an
 * import called off meanwhile reads no further.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PhotosReadAheadTest {

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    PhotoStore store;

    @Inject
    ImportAbort abort;

    @Test
    void aPageKeptForAnotherRoundIsNotTakenForThisOne() throws Throwable {
        String planted = Guids.next(), real = Guids.next();
        try (HostileOldPod old = HostileOldPod.start().photo(real, "image/png", HostilePhotosImportTest.png(3, 3))) {
            InTestImports imports = new InTestImports(pool, secrets);
            // A first photos page left beside the job's parts by a round of changes after 42 (another query).
            String job = imports.start("ra_other_round", old.issuer(), "COPY", id -> {
                try {
                    Path kept = store.keptPageOf(id);
                    Files.createDirectories(kept.getParent());
                    JsonObject photo = new JsonObject()
                            .put("guid", planted)
                            .put("contentType", "image/png")
                            .put("size", 10)
                            .put("sha256", "0".repeat(64))
                            .put("createdAt", "2025-01-01T10:00:00Z");
                    Files.writeString(
                            kept,
                            new JsonObject()
                                    .put("query", "photos|null|1|42|1000")
                                    .put("items", new JsonArray().add(photo))
                                    .putNull("next")
                                    .encode());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Row row = imports.awaitEnd(job);
            assertThat(row.getString("state"))
                    .as("error: %s", row.getString("error"))
                    .isEqualTo("DONE");
            // This round's page came from the old pod, once, and its photo arrived; the other round's was not read.
            assertThat(old.photoPagesRead()).isEqualTo(1);
            assertThat(((JsonObject) row.getValue("done")).getLong("photos")).isEqualTo(1);
            assertThat(imports.row("SELECT count(*) FROM photos WHERE guid = $1", real)
                            .getLong(0))
                    .isEqualTo(1);
            assertThat(old.contentRequests(planted)).isEmpty();
        }
    }

    @Test
    void anImportCalledOffWhileItReadsAheadAsksForNoMorePhotosAndLeavesNoPart() throws Throwable {
        try (HostileOldPod old =
                HostileOldPod.start().holding("/migration/v1/posts").holding("/migration/v1/photos/")) {
            for (int i = 0; i < 12; i++) {
                old.photo(Guids.next(), "image/png", HostilePhotosImportTest.png(1 + i, 1));
            }
            InTestImports imports = new InTestImports(pool, secrets);
            String job = imports.start("ra_called_off", old.issuer(), "COPY");
            // The posts wait at the old pod; the first photos of the page read ahead wait there too.
            Until.seen("the photos read ahead", old::contentRequests, asked -> asked == 8);
            long account = imports.row("SELECT account_id FROM import_jobs WHERE id = $1", job)
                    .getLong(0);
            VertxContextSupport.subscribeAndAwait(() -> abort.abort(account, job));
            // Calling it off dropped the parts already; the reading ahead drops them once more when it has ended, so
            // a folder made now is gone once it has (and holds what a transfer wrote after the abort until then).
            Path parts = Files.createDirectories(store.partsOf(job));
            old.release("/migration/v1/photos/");
            Until.seen("the reading ahead ended", () -> Files.exists(parts), exists -> !exists);

            assertThat(old.contentRequests())
                    .as("transfers after the import was called off")
                    .isEqualTo(8);
            assertThat(imports.row("SELECT state FROM import_jobs WHERE id = $1", job)
                            .getString(0))
                    .isEqualTo("ABORTED");
            old.release("/migration/v1/posts");
        }
    }

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
            // The page of photos was read once, ahead, during the posts; the photos phase took it from disk.
            assertThat(old.photoPagesRead()).isEqualTo(1);
        }
    }
}
