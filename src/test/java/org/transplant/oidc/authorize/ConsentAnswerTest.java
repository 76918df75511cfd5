package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.answer;
import static org.transplant.oidc.authorize.OAuthFlow.assertErrorPage;
import static org.transplant.oidc.authorize.OAuthFlow.assertRedirectedError;
import static org.transplant.oidc.authorize.OAuthFlow.authorize;
import static org.transplant.oidc.authorize.OAuthFlow.hiddenFields;
import static org.transplant.oidc.authorize.OAuthFlow.query;
import static org.transplant.oidc.authorize.OAuthFlow.register;
import static org.transplant.oidc.authorize.OAuthFlow.request;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.authorize.AuthorizationCodeStore.CodeGrant;
import org.transplant.oidc.authorize.GrantStore.Grant;
import org.transplant.pod.PodUrls;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * The consent page and its answer ({@code POST /oauth/authorize}): what the page shows, CSRF, allow and deny, the
 * code and grant an approval stores, and that the answer is checked again and counts only for the session's owner.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ConsentAnswerTest {

    private static final String OPENID_MIGRATION = "openid migration:read";

    @Inject
    AuthorizationCodeStore codes;

    @Inject
    GrantStore grants;

    @Inject
    PodUrls urls;

    @Inject
    Pool pool;

    @Test
    void promptNoneWithEarlierConsentIssuesACodeWithoutAPage() {
        OAuthFlow.Client client = register("Returning app", "https://returning.example/cb");
        String session = OAuthFlow.signedUp("az_ruth");
        allow(session, request(client, "openid profile migration:read"));
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("prompt", "none");
        Response response = authorize(session, null, params);
        assertThat(response.statusCode()).isEqualTo(303);
        Map<String, String> back = query(response.header("Location"));
        assertThat(back)
                .containsKey("code")
                .containsEntry("state", params.get("state"))
                .containsEntry("iss", urls.baseUrl());
        CodeGrant code = redeem(back.get("code"));
        assertThat(code.accountId()).isEqualTo(accountId("az_ruth"));
        assertThat(code.scope()).isEqualTo(OPENID_MIGRATION);
        // A wider request than the earlier consent is not covered.
        Map<String, String> wider = request(client, "openid migration:read migration:move");
        wider.put("prompt", "none");
        assertRedirectedError(authorize(session, null, wider), wider, "consent_required", "not allowed");
    }

    @Test
    void consentPageNamesTheAppTheHostTheAbilitiesAndThePerson() {
        OAuthFlow.Client client = register("Pod <two>", "https://two.example:8443/oauth/cb");
        String session = OAuthFlow.signedUp("az_carla");
        String csrf = PodClient.csrf();
        Map<String, String> params = request(client, "openid migration:read backup:read");
        Response page = authorize(session, csrf, params);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "script-src 'self'");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        String html = page.asString();
        assertThat(html)
                .contains("Pod &lt;two&gt;")
                .doesNotContain("Pod <two>")
                .contains("two.example:8443")
                .contains(
                        Scopes.DESCRIPTIONS.get("openid"),
                        Scopes.DESCRIPTIONS.get("migration:read"),
                        Scopes.DESCRIPTIONS.get("backup:read"))
                .doesNotContain(Scopes.DESCRIPTIONS.get("migration:move"))
                .contains(PodClient.handle("az_carla"))
                .contains("name=\"csrf\" value=\"" + csrf + "\"")
                .contains("name=\"span_from\"", "name=\"span_until\"")
                .contains("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
                .contains("value=\"deny\"");
        assertThat(hiddenFields(html)).isEqualTo(params);

        // A browser without a CSRF cookie (it lives only as long as the browser; the session lasts longer) gets one.
        Response fresh = authorize(session, null, params);
        String issued = fresh.getCookie("transplant_csrf");
        assertThat(issued).isNotBlank();
        assertThat(fresh.asString()).contains("name=\"csrf\" value=\"" + issued + "\"");
    }

    @Test
    void answerWithoutCsrfIsForbidden() {
        OAuthFlow.Client client = register("Forged form", "https://forged.example/cb");
        String session = OAuthFlow.signedUp("az_fred");
        Response response = answer(session, null, request(client, OPENID_MIGRATION), "allow");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.header("Location")).isNull();
        assertThat(liveGrants("az_fred")).isEmpty();
    }

    @Test
    void denyGoesBackAsAccessDeniedWithState() {
        OAuthFlow.Client client = register("Refused app", "https://refused.example/cb");
        String session = OAuthFlow.signedUp("az_dina");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(session, csrf, request(client, OPENID_MIGRATION)).asString());
        Response response = answer(session, csrf, fields, "deny");
        assertRedirectedError(response, fields, "access_denied", "did not allow");
        assertThat(liveGrants("az_dina")).isEmpty();
    }

    @Test
    void allowRedirectsWithCodeStateAndIssuerAndStoresTheCode() {
        OAuthFlow.Client client = register("Good app", "https://good.example/cb?pod=two");
        String session = OAuthFlow.signedUp("az_alma");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("state", "a state with spaces & symbols=?");
        Response response = allow(session, params);
        String location = response.header("Location");
        assertThat(location).startsWith("https://good.example/cb?pod=two&code=");
        Map<String, String> back = query(location);
        assertThat(back)
                .containsEntry("state", "a state with spaces & symbols=?")
                .containsEntry("iss", urls.baseUrl())
                .containsEntry("pod", "two");
        CodeGrant code = redeem(back.get("code"));
        assertThat(code.accountId()).isEqualTo(accountId("az_alma"));
        assertThat(code.clientId()).isEqualTo(client.id());
        assertThat(code.redirectUri()).isEqualTo("https://good.example/cb?pod=two");
        assertThat(code.scope()).isEqualTo(OPENID_MIGRATION);
        assertThat(code.nonce()).isEqualTo(params.get("nonce"));
        assertThat(code.codeChallenge()).isEqualTo(OAuthFlow.CHALLENGE);
        assertThat(code.usedAt()).isNull();
        assertThat(liveGrants("az_alma"))
                .singleElement()
                .satisfies(grant -> assertThat(grant.scope()).isEqualTo(OPENID_MIGRATION))
                .satisfies(grant -> assertThat(grant.id()).isEqualTo(code.grantId()));
    }

    @Test
    void backupSpanIsStoredFromTheStartOfOneDayToTheEndOfTheOther() {
        OAuthFlow.Client client = register("Backup app", "http://127.0.0.1:49152/callback");
        String session = OAuthFlow.signedUp("az_bea");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(session, csrf, request(client, "backup:read")).asString());
        fields.put("span_from", "2024-03-01");
        fields.put("span_until", "2024-03-31");
        Response response = answer(session, csrf, fields, "allow");
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.header("Location")).startsWith("http://127.0.0.1:49152/callback?code=");
        assertThat(liveGrants("az_bea")).singleElement().satisfies(grant -> {
            assertThat(grant.spanFrom()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
            assertThat(grant.spanUntil()).isEqualTo(Instant.parse("2024-03-31T23:59:59.999999Z"));
        });
    }

    @Test
    void backupSpanEndingBeforeItStartsShowsThePageAgain() {
        OAuthFlow.Client client = register("Backup app two", "http://127.0.0.1:49153/callback");
        String session = OAuthFlow.signedUp("az_bob");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(session, csrf, request(client, "backup:read")).asString());
        fields.put("span_from", "2024-04-02");
        fields.put("span_until", "2024-04-01");
        Response response = answer(session, csrf, fields, "allow");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.asString()).contains("must not be after its end").contains("Backup app two");
        assertThat(liveGrants("az_bob")).isEmpty();
    }

    @Test
    void anotherPersonsSessionCannotApproveForTheFirst() {
        OAuthFlow.Client client = register("Shared screen", "https://shared.example/cb");
        String first = OAuthFlow.signedUp("az_una");
        String second = OAuthFlow.signedUp("az_vic");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(first, csrf, request(client, OPENID_MIGRATION)).asString());
        Response response = answer(second, csrf, fields, "allow");
        CodeGrant code = redeem(query(response.header("Location")).get("code"));
        assertThat(code.accountId()).isEqualTo(accountId("az_vic")).isNotEqualTo(accountId("az_una"));
        assertThat(liveGrants("az_una")).isEmpty();
        // Without any session the answer only leads to the log-in page.
        Response anonymous = answer(null, csrf, fields, "allow");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(OAuthFlow.loginNext(anonymous.header("Location"))).startsWith("/oauth/authorize?");
    }

    @Test
    void tamperedHiddenFieldsAreRefusedWithoutRedirectingThere() {
        OAuthFlow.Client client = register("Tampered", "https://tampered.example/cb");
        String session = OAuthFlow.signedUp("az_tom");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(session, csrf, request(client, OPENID_MIGRATION)).asString());

        Map<String, String> elsewhere = new LinkedHashMap<>(fields);
        elsewhere.put("redirect_uri", "https://evil.example/steal");
        assertErrorPage(answer(session, csrf, elsewhere, "allow"), "not one this app registered");

        Map<String, String> plain = new LinkedHashMap<>(fields);
        plain.put("code_challenge_method", "plain");
        assertRedirectedError(answer(session, csrf, plain, "allow"), plain, "invalid_request", "S256");

        Map<String, String> otherClient = new LinkedHashMap<>(fields);
        otherClient.put("client_id", "not-a-client");
        assertErrorPage(answer(session, csrf, otherClient, "allow"), "No app with this client_id");
        assertThat(liveGrants("az_tom")).isEmpty();
    }

    private Response allow(String session, Map<String, String> params) {
        String csrf = PodClient.csrf();
        Response page = authorize(session, csrf, params);
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        Response response = answer(session, csrf, hiddenFields(page.asString()), "allow");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(303);
        return response;
    }

    private CodeGrant redeem(String code) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> codes.redeem(code));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private List<Grant> liveGrants(String username) {
        try {
            long id = accountId(username);
            return VertxContextSupport.subscribeAndAwait(() -> grants.liveGrants(id));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private long accountId(String username) {
        try {
            return VertxContextSupport.subscribeAndAwait(
                    () -> pool.preparedQuery("SELECT id FROM accounts WHERE username = $1")
                            .execute(Tuple.of(username))
                            .map(rows -> rows.iterator().next().getLong(0)));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
