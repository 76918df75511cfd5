package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.answer;
import static org.transplant.oidc.authorize.OAuthFlow.authorize;
import static org.transplant.oidc.authorize.OAuthFlow.browser;
import static org.transplant.oidc.authorize.OAuthFlow.hiddenFields;
import static org.transplant.oidc.authorize.OAuthFlow.register;
import static org.transplant.oidc.authorize.OAuthFlow.request;
import static org.transplant.oidc.authorize.OAuthFlow.signedUp;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.Scopes;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/** {@code /settings/apps}: the apps a person allowed, and taking that back. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AuthorizedAppsPageTest {

    private static final Pattern REVOKE = Pattern.compile("action=\"/settings/apps/(\\d+)/revoke\"");

    @Test
    void nobodySignedInIsSentToLogIn() {
        Response response = browser(null, null).get("/settings/apps");
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(OAuthFlow.loginNext(response.header("Location"))).isEqualTo("/settings/apps");
    }

    @Test
    void anAllowedAppIsListedAndRemovingItTakesItOff() {
        OAuthFlow.Client client = register("Backup buddy", "http://127.0.0.1:49160/callback");
        String session = signedUp("ap_ines");
        String csrf = PodClient.csrf();
        assertThat(browser(session, csrf).get("/settings/apps").asString()).contains("You have not allowed any app");

        Map<String, String> fields = hiddenFields(
                authorize(session, csrf, request(client, "openid backup:read")).asString());
        fields.put("span_from", "2025-01-01");
        assertThat(answer(session, csrf, fields, "allow").statusCode()).isEqualTo(303);

        String page = browser(session, csrf).get("/settings/apps").asString();
        assertThat(page)
                .contains(
                        "Backup buddy",
                        Scopes.DESCRIPTIONS.get("openid"),
                        Scopes.DESCRIPTIONS.get("backup:read"),
                        "Backup limited to what you shared from 1 Jan 2025",
                        "Remove access",
                        "href=\"/settings/apps\"");
        String grantId = grantIdIn(page);

        Response revoked = revoke(session, csrf, grantId);
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(OAuthFlow.pathOf(revoked.header("Location"))).isEqualTo("/settings/apps");
        assertThat(browser(session, csrf).get("/settings/apps").asString())
                .doesNotContain("Backup buddy")
                .contains("You have not allowed any app");
        // Gone: revoking again finds nothing.
        assertThat(revoke(session, csrf, grantId).statusCode()).isEqualTo(404);
    }

    @Test
    void someoneElsesGrantCannotBeRemoved() {
        OAuthFlow.Client client = register("Mover", "https://mover.example/cb");
        String owner = signedUp("ap_olga");
        String other = signedUp("ap_otto");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(owner, csrf, request(client, "openid migration:read")).asString());
        answer(owner, csrf, fields, "allow");
        String grantId = grantIdIn(browser(owner, csrf).get("/settings/apps").asString());

        assertThat(revoke(other, csrf, grantId).statusCode()).isEqualTo(404);
        assertThat(browser(owner, csrf).get("/settings/apps").asString()).contains("Mover");
    }

    @Test
    void removingWithoutCsrfIsForbidden() {
        OAuthFlow.Client client = register("Sticky", "https://sticky.example/cb");
        String session = signedUp("ap_sara");
        String csrf = PodClient.csrf();
        answer(
                session,
                csrf,
                hiddenFields(authorize(session, csrf, request(client, "openid")).asString()),
                "allow");
        String grantId = grantIdIn(browser(session, csrf).get("/settings/apps").asString());

        Response response = browser(session, csrf)
                .contentType(ContentType.URLENC)
                .formParam("x", "1")
                .post("/settings/apps/" + grantId + "/revoke");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(browser(session, csrf).get("/settings/apps").asString()).contains("Sticky");
    }

    private static Response revoke(String session, String csrf, String grantId) {
        return browser(session, csrf)
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf)
                .post("/settings/apps/" + grantId + "/revoke");
    }

    private static String grantIdIn(String page) {
        Matcher m = REVOKE.matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }
}
