package org.transplant.archive;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.testing.Chromium;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;
import org.transplant.testing.Until;

/**
 * The pages a person clicks, in a real browser: on "Download my account" they see what each photo choice weighs, ask
 * for an archive with two passwords, and download it once written; on "Import an archive" (reached from sign-up)
 * they upload it, a wrong archive password is told plainly and can be tried again without uploading again, and the
 * right one opens their account here and takes them to the import's progress.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ArchiveInBrowserTest {

    static final String ARCHIVE_PASSWORD = "a long archive passphrase 11";

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @TempDir
    Path dir;

    @Test
    void aPersonDownloadsTheirAccountAndImportsItOnASignUp() throws Exception {
        PodClient.createAccount("web_old");
        PodClient.admin()
                .body(Map.of("posts", 3, "commentsPerPost", 2, "likesPerPost", 1, "photos", 2, "photoBytes", 50_000))
                .post("/admin/v1/accounts/web_old/synthetic-content")
                .then()
                .statusCode(200);

        Path archive;
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/account/archive");
            page.fill("input[name=username]", "web_old");
            page.fill("input[name=password]", PodClient.PASSWORD);
            page.click("form[action='/login'] button[type=submit]");
            page.waitForURL(base() + "/account/archive");
            // The photos weigh 100 kB: the choice with them says so, the one without is smaller.
            assertThat(page.locator("label:has(input[value=included])")).containsText("(2 photos)");
            assertThat(page.locator("label:has(input[value=included])")).containsText("kB");

            page.fill("input[name=password]", ARCHIVE_PASSWORD);
            page.fill("input[name=passwordAgain]", ARCHIVE_PASSWORD + " typo");
            page.fill("input[name=accountPassword]", PodClient.PASSWORD);
            page.click("form[action='/account/archive'] button[type=submit]");
            assertThat(page.locator(".alert")).containsText("differ");

            page.fill("input[name=password]", ARCHIVE_PASSWORD);
            page.fill("input[name=passwordAgain]", ARCHIVE_PASSWORD);
            page.fill("input[name=accountPassword]", PodClient.PASSWORD);
            page.click("form[action='/account/archive'] button[type=submit]");
            page.waitForURL(base() + "/account/archive");
            Until.seen(
                    "the archive ready on the page",
                    () -> {
                        page.reload();
                        return page.locator(".archive").first().getAttribute("data-state");
                    },
                    "READY"::equals,
                    "FAILED"::equals);
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "archive.png"))
                    .setFullPage(true));
            Download download = page.waitForDownload(() -> page.click(".archive a:has-text('Download')"));
            archive = dir.resolve("web_old.tar");
            download.saveAs(archive);
        }
        assertThat(Files.size(archive)).isGreaterThan(100_000L);
        gone("web_old");

        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/signup");
            page.click("a[href='/import-archive']");
            page.waitForURL(base() + "/import-archive");
            page.setInputFiles("input[name=archive]", archive);
            page.fill("input[name=archivePassword]", "not the archive password");
            page.fill("input[name=username]", "web_new");
            page.fill("input[name=email]", "web_new@example.org");
            page.fill("input[name=password]", PodClient.PASSWORD);
            page.click("#import-archive button[type=submit]");
            assertThat(page.locator("#import-archive .alert")).containsText("password does not open");
            assertThat(SqlLines.of(pool, "SELECT count(*) FROM archive_uploads"))
                    .isNotEqualTo(List.of("0"));
            String uploads =
                    SqlLines.of(pool, "SELECT count(*) FROM archive_uploads").get(0);

            page.fill("input[name=archivePassword]", ARCHIVE_PASSWORD);
            page.click("#import-archive button[type=submit]");
            page.waitForURL(base() + "/import/**");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "import-archive-progress.png"))
                    .setFullPage(true));
            // The retry used the same upload: none was added, and the one used is gone.
            assertThat(Integer.parseInt(SqlLines.of(pool, "SELECT count(*) FROM archive_uploads")
                            .get(0)))
                    .isEqualTo(Integer.parseInt(uploads) - 1);
        }
        Until.seen(
                "the import done",
                () -> SqlLines.of(
                                pool,
                                "SELECT j.state FROM import_jobs j JOIN accounts a ON a.id = j.account_id"
                                        + " WHERE a.username = 'web_new'")
                        .get(0),
                "DONE"::equals,
                "FAILED"::equals);
        assertThat(SqlLines.of(
                        pool,
                        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id"
                                + " WHERE a.username = 'web_new'"))
                .containsExactly("3");
        assertThat(SqlLines.of(
                        pool,
                        "SELECT count(*) FROM photos p JOIN accounts a ON a.id = p.account_id"
                                + " WHERE a.username = 'web_new' AND p.file_name IS NOT NULL"))
                .containsExactly("2");
    }

    private void gone(String username) {
        SqlLines.of(
                pool,
                "WITH gone AS (DELETE FROM accounts WHERE username = '" + username + "' RETURNING id) SELECT count(*)"
                        + " FROM gone");
    }

    private String base() {
        return root.toString().replaceAll("/$", "");
    }
}
