package org.transplant.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps tests repeat against one pod, in-process (@QuarkusTest, rest-assured's default port) or a pod process
 * at a base URL: admin calls, opening accounts, logging in through the form as a browser does.
 */
public final class PodApi {

    public static final String PASSWORD = "a long test password 42";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final String baseUri;
    private final String adminToken;

    public PodApi(String baseUri, String adminToken) {
        this.baseUri = baseUri;
        this.adminToken = adminToken;
    }

    public static PodApi of(PodProcess pod) {
        return new PodApi(pod.baseUrl(), PodProcess.ADMIN_TOKEN);
    }

    public RequestSpecification request() {
        RequestSpecification spec = given();
        return baseUri == null ? spec : spec.baseUri(baseUri);
    }

    public RequestSpecification admin() {
        return request()
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .header("Authorization", "Bearer " + adminToken);
    }

    public void createAccount(String username) {
        admin().body(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(201);
    }

    /** A CSRF token, read from the log-in page the way a browser gets it. */
    public String csrf() {
        Matcher m = CSRF_FIELD.matcher(request().get("/login").asString());
        if (!m.find()) {
            throw new AssertionError("no csrf field on /login");
        }
        return m.group(1);
    }

    /** Logs in through the form and returns the session cookie's value. */
    public String logIn(String username) {
        String csrf = csrf();
        Response response = request()
                .redirects()
                .follow(false)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", username)
                .formParam("password", PASSWORD)
                .formParam("csrf", csrf)
                .post("/login");
        if (response.statusCode() != 303) {
            throw new AssertionError("log-in failed: " + response.statusCode() + " " + response.asString());
        }
        return response.getCookie("transplant_session");
    }

    /** A request as the signed-in person, JSON both ways. */
    public RequestSpecification as(String session) {
        return request()
                .cookie("transplant_session", session)
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }
}
