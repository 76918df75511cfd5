package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.assertErrorPage;
import static org.transplant.oidc.authorize.OAuthFlow.assertRedirectedError;
import static org.transplant.oidc.authorize.OAuthFlow.authorize;
import static org.transplant.oidc.authorize.OAuthFlow.query;
import static org.transplant.oidc.authorize.OAuthFlow.register;
import static org.transplant.oidc.authorize.OAuthFlow.request;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * {@code GET /oauth/authorize}: the order of its checks (RFC 6749 §4.1.2.1): untrusted client or redirect URI on a
 * page, every other error back to the client; and when the person must log in (again) first.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AuthorizationRequestChecksTest {

    private static final String OPENID_MIGRATION = "openid migration:read";

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
        for (String uri : List.of(
                "https://evil.example/cb",
                "https://strict.example/cb/more",
                "https://strict.example/cb?x=1",
                "HTTPS://strict.example/cb")) {
            Map<String, String> params = request(client, OPENID_MIGRATION);
            params.put("redirect_uri", uri);
            assertErrorPage(authorize(null, null, params), "not one this app registered");
        }
    }

    @Test
    void missingRedirectUriShowsAnErrorPage() {
        OAuthFlow.Client several = register("Two doors", "https://a.example/cb", "https://b.example/cb");
        Map<String, String> params = request(several, OPENID_MIGRATION);
        params.remove("redirect_uri");
        assertErrorPage(authorize(null, null, params), "redirect_uri is required");
        OAuthFlow.Client one = register("One door", "https://one.example/cb");
        Map<String, String> single = request(one, OPENID_MIGRATION);
        single.remove("redirect_uri");
        assertErrorPage(authorize(null, null, single), "redirect_uri is required");
    }

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
        Response response = OAuthFlow.browser(null, null)
                .queryParams(params)
                .queryParam("scope", "openid")
                .get("/oauth/authorize");
        assertRedirectedError(response, params, "invalid_request", "Repeated parameter: scope");
    }

    @Test
    void errorKeepsTheQueryOfTheRegisteredRedirectUri() {
        OAuthFlow.Client client = register("Query keeper", "https://keeper.example/cb?pod=two");
        Map<String, String> params = request(client, "openid nope");
        String location =
                authorize(null, null, params).then().statusCode(303).extract().header("Location");
        assertThat(location).startsWith("https://keeper.example/cb?pod=two&error=invalid_scope&");
    }

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
}
