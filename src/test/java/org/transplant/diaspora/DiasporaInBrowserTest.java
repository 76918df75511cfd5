package org.transplant.diaspora;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.diaspora.DiasporaExportGenerator.Digest;
import org.transplant.diaspora.DiasporaExportGenerator.Generated;
import org.transplant.testing.Chromium;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;
import org.transplant.testing.Until;

/**
 * A diaspora* user moving in, in a real browser: on "Import an archive" they choose their data file and their photos
 * zip (the page offers the photos input and asks no archive password once it sees a diaspora* file), choose a username
 * and password, and the page uploads both files in parts and takes them to the import's progress. There, once done,
 * they read what was left out (a comment whose signature was forged) and that their old account is on a diaspora* pod
 * they must close by hand; their posts and photos are here.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DiasporaInBrowserTest {

    static final String USERNAME = "dia_web";

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @TempDir
    Path dir;

    @Test
    void aDiasporaUserUploadsTheirExportAndPhotosAndReadsTheReport() throws Exception {
        // The old pod's host resolves nowhere: its key is not proven, nor contradicted.
        Generated export = DiasporaExportGenerator.generate(DiasporaExportGenerator.Options.builder(dir)
                .ownerHandle("webana@oldpod.invalid")
                .seed(71)
                .posts(12)
                .commentsPerPost(1)
                .likesPerPost(1)
                .contacts(4)
                .photos(3)
                .forged(1)
                .build());
        // Keys another test made this pod hold for people of the same names would win over the export's.
        for (String author : export.authorPublicKeys().keySet()) {
            SqlLines.of(pool, "DELETE FROM person_keys WHERE handle = '" + author + "' RETURNING 1");
        }
        String forged = export.manifest().forged().get(0);
        String uploads =
                SqlLines.of(pool, "SELECT count(*) FROM archive_uploads").get(0);

        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            Set<String> partsTo = ConcurrentHashMap.newKeySet();
            page.onRequest(request -> {
                if ("PUT".equals(request.method()) && request.url().contains("/api/v1/archive-uploads/")) {
                    partsTo.add(request.url());
                }
            });
            page.navigate(base() + "/import-archive");
            assertThat(page.locator("input[name=photos]")).isHidden();
            // A packed backup (a zip listing manifest.json) asks for neither a password nor diaspora* photos.
            page.setInputFiles(
                    "input[name=archive]", new FilePayload("alice-backup.zip", "application/zip", backupZip()));
            assertThat(page.locator("input[name=archivePassword]")).isHidden();
            assertThat(page.locator("input[name=photos]")).isHidden();
            page.setInputFiles("input[name=archive]", export.dataFile());
            // A diaspora* file: its photos may come along, and no archive password is asked for.
            assertThat(page.locator("input[name=photos]")).isVisible();
            assertThat(page.locator("input[name=archivePassword]")).isHidden();
            assertThat((Boolean) page.locator("input[name=archivePassword]").evaluate("input => input.required"))
                    .isFalse();
            page.setInputFiles("input[name=photos]", export.photosZip());
            page.fill("input[name=username]", USERNAME);
            page.fill("input[name=email]", USERNAME + "@example.org");
            page.fill("input[name=password]", PodClient.PASSWORD);
            page.click("#import-archive button[type=submit]");
            page.waitForURL(base() + "/import/**");
            assertThat(partsTo)
                    .as("the data file and the photos zip, each uploaded in parts")
                    .hasSize(2);

            Until.seen(
                    "the import done on its progress page",
                    () -> {
                        page.reload();
                        return page.locator("#import").getAttribute("data-state");
                    },
                    "DONE"::equals,
                    "FAILED"::equals);
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "diaspora-import-progress.png"))
                    .setFullPage(true));
            assertThat(page.locator("#left-out li[data-key='" + forged + "']"))
                    .containsText("its author's signature does not verify");
            assertThat(page.locator("#old-account")).hasAttribute("data-state", "not_closed");
            assertThat(page.locator("#old-account")).containsText("diaspora* pod");
            assertThat(page.locator("#old-account")).containsText("close it there by hand");
        }

        Map<String, Digest> expected = export.manifest().collections();
        assertThat(expected.get("posts").count()).isGreaterThan(0);
        assertThat(expected.get("photos").count()).isGreaterThan(0);
        String owner = " JOIN accounts a ON a.id = x.account_id WHERE a.username = '" + USERNAME + "'";
        assertThat(SqlLines.of(pool, "SELECT count(*) FROM posts x" + owner))
                .containsExactly(Integer.toString(expected.get("posts").count()));
        assertThat(SqlLines.of(
                        pool,
                        "SELECT count(*) FROM photos x" + owner
                                + " AND x.post_id IS NOT NULL AND x.file_name IS NOT NULL"))
                .as("every photo of a post arrived with its file from the zip")
                .containsExactly(Integer.toString(expected.get("photos").count()));
        assertThat(SqlLines.of(pool, "SELECT count(*) FROM archive_uploads"))
                .as("both uploads were used up by the start")
                .containsExactly(uploads);
    }

    private String base() {
        return root.toString().replaceAll("/$", "");
    }

    /** The smallest zip the page takes for a backup: its directory lists manifest.json. */
    private static byte[] backupZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
