package org.transplant.oidc.authorize;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.Scopes;
import org.transplant.testing.Chromium;
import org.transplant.testing.LoopbackApp;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * A native backup app sends a person to the pod; in a real browser they log in, read the consent page and allow
 * (or deny), and the browser comes back to the app's loopback redirect URI with the code (or the error).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ConsentInBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void personLogsInAllowsAndTheAppGetsACode() throws IOException {
        try (LoopbackApp app = LoopbackApp.start()) {
            allowsAndTheAppGetsACode(app.port());
        }
    }

    private void allowsAndTheAppGetsACode(int port) {
        OAuthFlow.Client client = OAuthFlow.register("Backup Buddy", "http://127.0.0.1:" + port + "/callback");
        OAuthFlow.signedUp("br_nora");
        Map<String, String> params = OAuthFlow.request(client, "openid migration:read backup:read");

        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            logInThroughTheAuthorizeUrl(page, params, "br_nora");

            assertThat(page.locator("h1")).containsText("Backup Buddy");
            assertThat(page.locator(".host")).hasText("127.0.0.1:" + port);
            assertThat(page.locator(".handle")).hasText(PodClient.handle("br_nora"));
            assertThat(page.locator(".abilities li")).hasText(new String[] {
                Scopes.DESCRIPTIONS.get("openid"),
                Scopes.DESCRIPTIONS.get("migration:read"),
                Scopes.DESCRIPTIONS.get("backup:read")
            });
            assertThat(page.locator("input[name=span_from]")).isVisible();
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "consent.png"))
                    .setFullPage(true));

            page.fill("input[name=span_from]", "2024-01-01");
            page.click("button[value=allow]");
            page.waitForURL("http://127.0.0.1:" + port + "/callback?**");
            Map<String, String> back = OAuthFlow.query(page.url());
            assertThat(back.get("code")).hasSizeGreaterThan(30);
            assertThat(back)
                    .containsEntry("state", params.get("state"))
                    .containsEntry("iss", base())
                    .doesNotContainKey("error");

            page.navigate(base() + "/settings/apps");
            assertThat(page.locator(".app h2")).hasText("Backup Buddy");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "apps.png")));
        }
    }

    @Test
    void personDeniesAndTheAppHearsAccessDenied() throws IOException {
        try (LoopbackApp app = LoopbackApp.start()) {
            deniesAndTheAppHearsAccessDenied(app.port());
        }
    }

    private void deniesAndTheAppHearsAccessDenied(int port) {
        OAuthFlow.Client client = OAuthFlow.register("Nosy app", "http://127.0.0.1:" + port + "/callback");
        OAuthFlow.signedUp("br_omar");
        Map<String, String> params = OAuthFlow.request(client, "openid migration:read");

        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            logInThroughTheAuthorizeUrl(page, params, "br_omar");

            assertThat(page.locator("h1")).containsText("Nosy app");
            assertThat(page.locator("input[name=span_from]")).hasCount(0);
            page.click("button[value=deny]");
            page.waitForURL("http://127.0.0.1:" + port + "/callback?**");
            Map<String, String> back = OAuthFlow.query(page.url());
            assertThat(back)
                    .containsEntry("error", "access_denied")
                    .containsEntry("state", params.get("state"))
                    .doesNotContainKey("code");
        }
    }

    private void logInThroughTheAuthorizeUrl(Page page, Map<String, String> params, String username) {
        String query = params.entrySet().stream()
                .map(e -> AuthorizationRequest.encode(e.getKey()) + "=" + AuthorizationRequest.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        page.navigate(base() + "/oauth/authorize?" + query);
        assertThat(page.locator("h1")).hasText("Log in");
        assertThat(page.url()).startsWith(base() + "/login?next=");
        page.fill("input[name=username]", username);
        page.fill("input[name=password]", PodClient.PASSWORD);
        page.click("form[action='/login'] button[type=submit]");
        page.waitForURL(base() + "/oauth/authorize?**");
    }

    private String base() {
        return root.toString().replaceAll("/$", "");
    }
}
