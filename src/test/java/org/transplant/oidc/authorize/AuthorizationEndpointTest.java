package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.answer;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.authorize.AuthorizationCodeStore.CodeGrant;
import org.transplant.oidc.authorize.GrantStore.Grant;
import org.transplant.pod.PodUrls;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/** {@code /oauth/authorize}: the order of its checks, the consent form, and what a code is bound to. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AuthorizationEndpointTest {

    private static final String OPENID_MIGRATION = "openid migration:read";

    @Inject
    AuthorizationCodeStore codes;
    @Inject
    GrantStore grants;
    @Inject
    PodUrls urls;
    @Inject
    Pool pool;

    // --- Refusals that must never redirect (RFC 6749 §4.1.2.1) ---

    @Test
    void unknownClientShowsAnErrorPageAndDoesNotRedirect() {
        OAuthFlow.Client client = register("Known app", "https://known.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("client_id", "no-such-client");
        params.put("redirect_uri", "https://evil.example/cb");
        Response response = authorize(null, null, params);
        assertErrorPage(response, "No app with this client_id");
    }

    @Test
    void unregisteredRedirectUriShowsAnErrorPageAndDoesNotRedirect() {
        OAuthFlow.Client client = register("Strict app", "https://strict.example/cb");
        for (String uri : List.of("https://evil.example/cb", "https://strict.example/cb/more",
                "https://strict.example/cb?x=1", "HTTPS://strict.example/cb")) {
            Map<String, String> params = request(client, OPENID_MIGRATION);
            params.put("redirect_uri", uri);
            assertErrorPage(authorize(null, null, params), "not one this app registered");
        }
    }

    @Test
    void missingRedirectUriWithSeveralRegisteredShowsAnErrorPage() {
        OAuthFlow.Client client = register("Two doors", "https://a.example/cb", "https://b.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.remove("redirect_uri");
        assertErrorPage(authorize(null, null, params), "registered several");
    }

    // --- Refusals that go back to the client, with state and iss (RFC 6749 §4.1.2.1, RFC 9207) ---

    @Test
    void missingPkceGoesBackAsInvalidRequestWithState() {
        OAuthFlow.Client client = register("No PKCE", "https://nopkce.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.remove("code_challenge");
        params.remove("code_challenge_method");
        assertRedirectedError(authorize(null, null, params), params, "invalid_request", "code_challenge");
    }

    @Test
    void plainOrMissingPkceMethodIsInvalidRequest() {
        OAuthFlow.Client client = register("Plain PKCE", "https://plain.example/cb");
        Map<String, String> plain = request(client, OPENID_MIGRATION);
        plain.put("code_challenge_method", "plain");
        assertRedirectedError(authorize(null, null, plain), plain, "invalid_request", "S256");
        Map<String, String> missing = request(client, OPENID_MIGRATION);
        missing.remove("code_challenge_method");
        assertRedirectedError(authorize(null, null, missing), missing, "invalid_request", "S256");
        Map<String, String> shortChallenge = request(client, OPENID_MIGRATION);
        shortChallenge.put("code_challenge", "abc");
        assertRedirectedError(authorize(null, null, shortChallenge), shortChallenge, "invalid_request", "43 to 128");
    }

    @Test
    void responseTypeOtherThanCodeIsUnsupported() {
        OAuthFlow.Client client = register("Implicit fan", "https://implicit.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("response_type", "token");
        assertRedirectedError(authorize(null, null, params), params, "unsupported_response_type", "code");
    }

    @Test
    void unknownOrMissingScopeIsInvalidScope() {
        OAuthFlow.Client client = register("Greedy app", "https://greedy.example/cb");
        Map<String, String> unknown = request(client, "openid admin:all");
        assertRedirectedError(authorize(null, null, unknown), unknown, "invalid_scope", "Unknown scope");
        Map<String, String> none = request(client, OPENID_MIGRATION);
        none.remove("scope");
        assertRedirectedError(authorize(null, null, none), none, "invalid_scope", "missing");
    }

    @Test
    void repeatedParameterIsInvalidRequest() {
        OAuthFlow.Client client = register("Stutter", "https://stutter.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        Response response = OAuthFlow.browser(null, null).queryParams(params).queryParam("scope", "openid")
                .get("/oauth/authorize");
        assertRedirectedError(response, params, "invalid_request", "Repeated parameter: scope");
    }

    @Test
    void errorKeepsTheQueryOfTheRegisteredRedirectUri() {
        OAuthFlow.Client client = register("Query keeper", "https://keeper.example/cb?pod=two");
        Map<String, String> params = request(client, "openid nope");
        String location = authorize(null, null, params).then().statusCode(303).extract().header("Location");
        assertThat(location).startsWith("https://keeper.example/cb?pod=two&error=invalid_scope&");
    }

    // --- Who is asking ---

    @Test
    void notSignedInIsSentToLoginWithTheRequestAsNext() {
        OAuthFlow.Client client = register("Needs login", "https://login.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        Response response = authorize(null, null, params);
        assertThat(response.statusCode()).isEqualTo(303);
        String next = OAuthFlow.loginNext(response.header("Location"));
        assertThat(next).startsWith("/oauth/authorize?");
        assertThat(query(next)).containsAllEntriesOf(params);
    }

    @Test
    void promptNoneWithoutSessionIsLoginRequired() {
        OAuthFlow.Client client = register("Silent app", "https://silent.example/cb");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("prompt", "none");
        assertRedirectedError(authorize(null, null, params), params, "login_required", "not logged in");
    }

    @Test
    void promptNoneWithoutEarlierConsentIsConsentRequired() {
        OAuthFlow.Client client = register("Silent two", "https://silent2.example/cb");
        String session = OAuthFlow.signedUp("az_silvia");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("prompt", "none");
        assertRedirectedError(authorize(session, null, params), params, "consent_required", "not allowed");
    }

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
        assertThat(back).containsKey("code").containsEntry("state", params.get("state"))
                .containsEntry("iss", urls.baseUrl());
        CodeGrant code = redeem(back.get("code"));
        assertThat(code.accountId()).isEqualTo(accountId("az_ruth"));
        assertThat(code.scope()).isEqualTo(OPENID_MIGRATION);
        // A wider request than the earlier consent is not covered.
        Map<String, String> wider = request(client, "openid migration:read migration:move");
        wider.put("prompt", "none");
        assertRedirectedError(authorize(session, null, wider), wider, "consent_required", "not allowed");
    }

    // --- The consent page and its answer ---

    @Test
    void consentPageNamesTheAppTheHostTheAbilitiesAndThePerson() {
        OAuthFlow.Client client = register("Pod <two>", "https://two.example:8443/oauth/cb");
        String session = OAuthFlow.signedUp("az_carla");
        String csrf = PodClient.csrf();
        Map<String, String> params = request(client, "openid migration:read backup:read");
        Response page = authorize(session, csrf, params);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        String html = page.asString();
        assertThat(html).contains("Pod &lt;two&gt;").doesNotContain("Pod <two>")
                .contains("two.example:8443")
                .contains(Scopes.DESCRIPTIONS.get("openid"), Scopes.DESCRIPTIONS.get("migration:read"),
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
        Map<String, String> fields = hiddenFields(authorize(session, csrf, request(client, OPENID_MIGRATION))
                .asString());
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
        assertThat(back).containsEntry("state", "a state with spaces & symbols=?")
                .containsEntry("iss", urls.baseUrl()).containsEntry("pod", "two");
        CodeGrant code = redeem(back.get("code"));
        assertThat(code.accountId()).isEqualTo(accountId("az_alma"));
        assertThat(code.clientId()).isEqualTo(client.id());
        assertThat(code.redirectUri()).isEqualTo("https://good.example/cb?pod=two");
        assertThat(code.scope()).isEqualTo(OPENID_MIGRATION);
        assertThat(code.nonce()).isEqualTo(params.get("nonce"));
        assertThat(code.codeChallenge()).isEqualTo(OAuthFlow.CHALLENGE);
        assertThat(code.usedAt()).isNull();
        assertThat(liveGrants("az_alma")).singleElement()
                .satisfies(grant -> assertThat(grant.scope()).isEqualTo(OPENID_MIGRATION))
                .satisfies(grant -> assertThat(grant.id()).isEqualTo(code.grantId()));
    }

    @Test
    void redirectUriMayBeLeftOutWhenOnlyOneIsRegistered() {
        OAuthFlow.Client client = register("Single door", "https://single.example/cb");
        String session = OAuthFlow.signedUp("az_sol");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.remove("redirect_uri");
        assertThat(allow(session, params).header("Location")).startsWith("https://single.example/cb?code=");
    }

    @Test
    void backupSpanIsStoredFromTheStartOfOneDayToTheEndOfTheOther() {
        OAuthFlow.Client client = register("Backup app", "http://127.0.0.1:49152/callback");
        String session = OAuthFlow.signedUp("az_bea");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(authorize(session, csrf, request(client, "backup:read")).asString());
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
        Map<String, String> fields = hiddenFields(authorize(session, csrf, request(client, "backup:read")).asString());
        fields.put("span_from", "2024-04-02");
        fields.put("span_until", "2024-04-01");
        Response response = answer(session, csrf, fields, "allow");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.asString()).contains("must not be after its end").contains("Backup app two");
        assertThat(liveGrants("az_bob")).isEmpty();
    }

    // --- The answer is checked again; nobody answers for someone else ---

    @Test
    void anotherPersonsSessionCannotApproveForTheFirst() {
        OAuthFlow.Client client = register("Shared screen", "https://shared.example/cb");
        String first = OAuthFlow.signedUp("az_una");
        String second = OAuthFlow.signedUp("az_vic");
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(authorize(first, csrf, request(client, OPENID_MIGRATION))
                .asString());
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
        Map<String, String> fields = hiddenFields(authorize(session, csrf, request(client, OPENID_MIGRATION))
                .asString());

        Map<String, String> elsewhere = new java.util.LinkedHashMap<>(fields);
        elsewhere.put("redirect_uri", "https://evil.example/steal");
        assertErrorPage(answer(session, csrf, elsewhere, "allow"), "not one this app registered");

        Map<String, String> plain = new java.util.LinkedHashMap<>(fields);
        plain.put("code_challenge_method", "plain");
        assertRedirectedError(answer(session, csrf, plain, "allow"), plain, "invalid_request", "S256");

        Map<String, String> otherClient = new java.util.LinkedHashMap<>(fields);
        otherClient.put("client_id", "not-a-client");
        assertErrorPage(answer(session, csrf, otherClient, "allow"), "No app with this client_id");
        assertThat(liveGrants("az_tom")).isEmpty();
    }

    @Test
    void promptLoginSendsThroughLogInOnceThenProceeds() {
        OAuthFlow.Client client = register("Careful app", "https://careful.example/cb");
        String old = OAuthFlow.signedUp("az_lena");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("prompt", "login");
        Response first = authorize(old, null, params);
        assertThat(first.statusCode()).isEqualTo(303);
        String next = OAuthFlow.loginNext(first.header("Location"));
        assertThat(query(next)).containsKey("login_after").containsEntry("prompt", "login");

        // The old session does not satisfy the marker; a fresh log-in does, and the page shows instead of looping.
        assertThat(OAuthFlow.loginNext(authorize(old, null, query(next)).header("Location")))
                .startsWith("/oauth/authorize?");
        String fresh = PodClient.logIn("az_lena");
        Response page = authorize(fresh, null, query(next));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("Careful app");
    }

    @Test
    void maxAgeOlderThanTheLogInSendsThroughLogIn() throws InterruptedException {
        OAuthFlow.Client client = register("Max age app", "https://maxage.example/cb");
        String session = OAuthFlow.signedUp("az_max");
        Map<String, String> params = request(client, OPENID_MIGRATION);
        params.put("max_age", "3600");
        assertThat(authorize(session, null, params).statusCode()).isEqualTo(200);
        Thread.sleep(1100);
        params.put("max_age", "1");
        assertThat(OAuthFlow.loginNext(authorize(session, null, params).header("Location")))
                .contains("max_age=1");
        params.put("prompt", "none");
        assertRedirectedError(authorize(session, null, params), params, "login_required", "not logged in");
    }

    // --- helpers ---

    private Response allow(String session, Map<String, String> params) {
        String csrf = PodClient.csrf();
        Response page = authorize(session, csrf, params);
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        Response response = answer(session, csrf, hiddenFields(page.asString()), "allow");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(303);
        return response;
    }

    private void assertRedirectedError(Response response, Map<String, String> params, String error,
            String description) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(303);
        String location = response.header("Location");
        String registered = params.containsKey("redirect_uri") ? params.get("redirect_uri") : "";
        assertThat(location).startsWith(registered + "?error=" + error + "&");
        Map<String, String> back = query(location);
        assertThat(back).containsEntry("error", error).containsEntry("state", params.get("state"))
                .containsEntry("iss", urls.baseUrl()).doesNotContainKey("code");
        assertThat(back.get("error_description")).contains(description);
    }

    private static void assertErrorPage(Response response, String reason) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.asString()).contains(reason).contains("Nothing was shared");
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
            return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                    "SELECT id FROM accounts WHERE username = $1").execute(Tuple.of(username))
                    .map(rows -> rows.iterator().next().getLong(0)));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
