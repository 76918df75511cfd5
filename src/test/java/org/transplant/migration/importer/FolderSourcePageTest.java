package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.Sha256;
import org.transplant.pod.crypto.WorkerPool;

/**
 * A page of a folder is bounded in bytes as an old pod's page is: lines of a hostile folder cannot fill the heap a
 * thousand megabytes at a time, and the cursor still moves through every line.
 */
class FolderSourcePageTest {

    @TempDir
    Path exports;

    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.closeAndAwait();
    }

    @Test
    void aPageStopsAtItsByteCapAndTheNextGoesOn() throws Exception {
        Path folder = Files.createDirectory(exports.resolve("big"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append(new JsonObject()
                            .put("tag", "t" + i)
                            .put("pad", "x".repeat(1000))
                            .encode())
                    .append('\n');
        }
        String contacts = lines.toString();
        Files.writeString(folder.resolve(FolderFormat.fileOf("contacts")), contacts);
        Files.writeString(
                folder.resolve(FolderFormat.MANIFEST),
                new JsonObject()
                        .put("format", FolderFormat.VERSION)
                        .put(
                                "files",
                                new JsonObject()
                                        .put(FolderFormat.ACCOUNT, new JsonObject().put("sha256", "0"))
                                        .put(
                                                FolderFormat.fileOf("contacts"),
                                                new JsonObject().put("sha256", Sha256.hex(contacts.getBytes()))))
                        .encode());
        FolderSource source = new FolderSource(folder, exports, new WorkerPool(vertx), 1 << 20, 4096, null, null);

        int pages = 0;
        int items = 0;
        String cursor = null;
        do {
            SourcePage page =
                    source.page(null, "contacts", cursor, 1000).await().atMost(Duration.ofMinutes(1));
            // Lines of about 1 KiB: a page stops at the first line that reaches 4 KiB, so 4 or 5 of them.
            assertThat(page.items().size()).isBetween(1, 5);
            items += page.items().size();
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(items).isEqualTo(40);
        assertThat(pages)
                .as("without the cap, one page of 1000 lines would hold them all")
                .isGreaterThanOrEqualTo(8);
    }
}
