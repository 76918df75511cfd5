package org.transplant.oidc.authorize;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.transplant.pod.PodUrls;
import org.transplant.testing.PodClient;

/** The steps of the code flow as a client and a browser take them, for the authorization endpoint's tests. */
final class OAuthFlow {

    record Client(String id, String secret, String redirectUri) {}

    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /** RFC 7636 Appendix B: the S256 challenge of {@link #VERIFIER}. */
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuJGSstw-cM";

    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private OAuthFlow() {}

    /**
     * Opens an account through the sign-up form and returns its session cookie. (The form, not the admin API: the
     * admin API's bearer token goes through quarkus-oidc, which needs the pod's JWKS.)
     */
    static String signedUp(String username) {
        String csrf = PodClient.csrf();
        Response response = given().redirects()
                .follow(false)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", username)
                .formParam("email", username + "@example.org")
                .formParam("password", PodClient.PASSWORD)
                .formParam("csrf", csrf)
                .post("/signup");
        if (response.statusCode() != 303) {
            throw new AssertionError("sign-up failed: " + response.statusCode() + " " + response.asString());
        }
        return response.getCookie("transplant_session");
    }

    /** The path and query of a redirect, which JAX-RS makes absolute on this pod. */
    static String pathOf(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The {@code next} of a redirect to the log-in page, decoded; fails when it goes elsewhere. */
    static String loginNext(String location) {
        String path = pathOf(location);
        if (!path.startsWith("/login?next=")) {
            throw new AssertionError("not sent to log in: " + location);
        }
        return decode(path.substring("/login?next=".length()));
    }

    static Client register(String name, String... redirectUris) {
        Response response = given().contentType(ContentType.JSON)
                .body(Map.of("client_name", name, "redirect_uris", List.of(redirectUris)))
                .post("/oauth/register");
        response.then().statusCode(201);
        return new Client(response.path("client_id"), response.path("client_secret"), redirectUris[0]);
    }

    /** A complete, valid request for {@code scope}, which tests then break one parameter at a time. */
    static Map<String, String> request(Client client, String scope) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.id());
        params.put("redirect_uri", client.redirectUri());
        params.put("scope", scope);
        params.put("state", "st-" + System.nanoTime());
        params.put("nonce", "n-0S6_WzA2Mj");
        params.put("code_challenge", CHALLENGE);
        params.put("code_challenge_method", "S256");
        return params;
    }

    /** GET /oauth/authorize as a browser with this session (null: none) and CSRF cookie, redirects not followed. */
    static Response authorize(String session, String csrf, Map<String, String> params) {
        return browser(session, csrf).queryParams(params).get("/oauth/authorize");
    }

    /** POST /oauth/authorize: the consent form as the browser sends it. */
    static Response answer(String session, String csrf, Map<String, String> fields, String decision) {
        RequestSpecification request =
                browser(session, csrf).contentType(ContentType.URLENC).formParams(fields);
        if (csrf != null) {
            request.formParam("csrf", csrf);
        }
        return request.formParam("decision", decision).post("/oauth/authorize");
    }

    static RequestSpecification browser(String session, String csrf) {
        RequestSpecification request = given().redirects().follow(false).accept(ContentType.HTML);
        if (session != null) {
            request.cookie("transplant_session", session);
        }
        if (csrf != null) {
            request.cookie("transplant_csrf", csrf);
        }
        return request;
    }

    /** The consent form's hidden fields, as the browser would post them back. */
    static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            if (!"csrf".equals(m.group(1))) {
                fields.put(m.group(1), unescape(m.group(2)));
            }
        }
        return fields;
    }

    /** The decoded query parameters of a redirect. */
    static Map<String, String> query(String location) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = URI.create(location).getRawQuery();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return params;
    }

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** An error sent back to the client's redirect URI with its state and this pod as issuer (RFC 9207). */
    static void assertRedirectedError(Response response, Map<String, String> params, String error, String description) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(303);
        String location = response.header("Location");
        String registered = params.containsKey("redirect_uri") ? params.get("redirect_uri") : "";
        assertThat(location).startsWith(registered + "?error=" + error + "&");
        Map<String, String> back = query(location);
        assertThat(back)
                .containsEntry("error", error)
                .containsEntry("state", params.get("state"))
                .containsEntry("iss", issuer())
                .doesNotContainKey("code");
        assertThat(back.get("error_description")).contains(description);
    }

    /** A refusal shown to the person, with no redirect anywhere (RFC 6749 §4.1.2.1). */
    static void assertErrorPage(Response response, String reason) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.asString()).contains(reason).contains("Nothing was shared");
    }

    static String issuer() {
        return Arc.container().instance(PodUrls.class).get().baseUrl();
    }

    static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
