package org.transplant.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorization code flow over plain HTTP, as a client and a person's browser would run it against a pod:
 * register, log in through the form, read the consent page, allow, exchange the code with PKCE.
 */
public final class OAuthConsent {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

    private OAuthConsent() {}

    /** An access token of {@code username} for a newly registered client, with the given scope. */
    public static String accessToken(PodApi pod, String username, String scope) throws Exception {
        Response registered = pod.request()
                .contentType(ContentType.JSON)
                .body(Map.of("client_name", "Test client", "redirect_uris", List.of(REDIRECT)))
                .post("/oauth/register");
        String clientId = registered.path("client_id");
        String secret = registered.path("client_secret");
        String session = pod.logIn(username);
        String csrf = pod.csrf();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String consent = pod.request()
                .cookie("transplant_session", session)
                .cookie("transplant_csrf", csrf)
                .queryParam("response_type", "code")
                .queryParam("client_id", clientId)
                .queryParam("redirect_uri", REDIRECT)
                .queryParam("scope", scope)
                .queryParam("state", "s")
                .queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256")
                .get("/oauth/authorize")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(consent);
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        fields.put("decision", "allow");
        String location = pod.request()
                .redirects()
                .follow(false)
                .cookie("transplant_session", session)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParams(fields)
                .post("/oauth/authorize")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        return pod.request()
                .auth()
                .preemptive()
                .basic(clientId, secret)
                .formParam("grant_type", "authorization_code")
                .formParam("code", URLDecoder.decode(code, StandardCharsets.UTF_8))
                .formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", verifier)
                .post("/oauth/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
    }
}
