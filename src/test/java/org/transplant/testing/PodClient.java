package org.transplant.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small steps that tests of a running pod repeat: admin calls, opening accounts, logging in through the form. */
public final class PodClient {

    public static final String PASSWORD = "a long test password 42";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private PodClient() {
    }

    public static RequestSpecification admin() {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .header("Authorization", "Bearer " + PostgresResource.ADMIN_TOKEN);
    }

    public static void createAccount(String username) {
        admin().body(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org"))
                .post("/admin/v1/accounts").then().statusCode(201);
    }

    /** A CSRF token, read from the log-in page the way a browser gets it. */
    public static String csrf() {
        Response page = given().get("/login");
        Matcher m = CSRF_FIELD.matcher(page.asString());
        if (!m.find()) {
            throw new AssertionError("no csrf field on /login");
        }
        return m.group(1);
    }

    /** Logs in through the form and returns the session cookie's value. */
    public static String logIn(String username) {
        String csrf = csrf();
        Response response = given().redirects().follow(false).cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", username).formParam("password", PASSWORD).formParam("csrf", csrf)
                .post("/login");
        if (response.statusCode() != 303) {
            throw new AssertionError("log-in failed: " + response.statusCode() + " " + response.asString());
        }
        return response.getCookie("transplant_session");
    }

    /** Opens an account and logs it in: the session cookie's value. */
    public static String signedIn(String username) {
        createAccount(username);
        return logIn(username);
    }

    /** The handle of a local account, as the pod under test writes it. */
    public static String handle(String username) {
        return username + "@localhost:8081";
    }

    /** A request as the signed-in person, JSON both ways. */
    public static RequestSpecification as(String session) {
        return given().cookie("transplant_session", session).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
