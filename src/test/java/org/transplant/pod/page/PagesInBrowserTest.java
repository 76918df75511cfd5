package org.transplant.pod.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.transplant.testing.Chromium;
import org.transplant.testing.PostgresResource;

/** A person signs up, shares a post, finds it on their profile, logs out and in again: in a real browser. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PagesInBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void newcomerSignsUpSharesAndLogsBackIn() {
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            String base = root.toString().replaceAll("/$", "");

            page.navigate(base + "/signup");
            page.fill("input[name=username]", "carla");
            page.fill("input[name=email]", "carla@example.org");
            page.fill("input[name=password]", "a sturdy passphrase");
            page.click("button[type=submit]");
            assertThat(page.locator("h1")).hasText("Share something");

            page.fill("textarea[name=text]", "My first post from a real browser");
            page.click("form[action='/posts'] button[type=submit]");
            assertThat(page.locator("article.post p").first()).hasText("My first post from a real browser");

            page.click("article.post .meta a >> nth=0");
            assertThat(page).hasURL(base + "/u/carla");
            assertThat(page.locator("section.profile")).containsText("carla@");
            assertThat(page.locator("article.post")).hasCount(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "profile.png")));

            page.click("button:has-text('Log out')");
            assertThat(page.locator("header a[href='/login']")).isVisible();

            page.navigate(base + "/login");
            page.fill("input[name=username]", "carla");
            page.fill("input[name=password]", "wrong password here");
            page.click("button[type=submit]");
            assertThat(page.locator(".alert")).hasText("Wrong username or password");
            page.fill("input[name=password]", "a sturdy passphrase");
            page.click("button[type=submit]");
            assertThat(page.locator("h1")).hasText("Share something");
        }
    }

    @Test
    void signUpWithATakenNameShowsTheReason() {
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            String base = root.toString().replaceAll("/$", "");
            for (int i = 0; i < 2; i++) {
                context.clearCookies();
                page.navigate(base + "/signup");
                page.fill("input[name=username]", "dora");
                page.fill("input[name=email]", "dora@example.org");
                page.fill("input[name=password]", "a sturdy passphrase");
                page.click("button[type=submit]");
            }
            assertThat(page.locator(".alert")).containsText("taken");
            page.navigate(base + "/u/nobody_here");
            assertThat(page.locator("h1")).hasText("Not found");
        }
    }
}
