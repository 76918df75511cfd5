package org.transplant.migration.importer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * Starting an import refuses what it cannot do before anything is written: a malformed or local handle, a bad
 * photo choice, a taken username, an old pod that cannot be reached, a signed-in account that holds content.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ImportStartTest {

    @Test
    void refusalsComeFirstAndWriteNothing() {
        start(Map.of(
                        "handle",
                        "not a handle",
                        "username",
                        "is_new",
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("handle"));
        start(Map.of(
                        "handle",
                        PodClient.handle("someone"),
                        "username",
                        "is_new",
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org"))
                .then()
                .statusCode(400)
                .body("detail", Matchers.containsString("on this pod already"));
        start(Map.of(
                        "handle",
                        "x@127.0.0.1:9",
                        "username",
                        "is_new",
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org",
                        "photos",
                        "shred"))
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("photos"));
        PodClient.createAccount("is_taken");
        start(Map.of(
                        "handle",
                        "x@127.0.0.1:9",
                        "username",
                        "is_taken",
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org"))
                .then()
                .statusCode(409)
                .body("type", endsWith("/username-taken"));
        // Nothing listens on port 9: the old pod cannot be reached, and no account is opened.
        start(Map.of(
                        "handle",
                        "x@127.0.0.1:9",
                        "username",
                        "is_new",
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org"))
                .then()
                .statusCode(502)
                .body("type", endsWith("/old-pod-unreachable"));
        given().queryParam("resource", "acct:" + PodClient.handle("is_new"))
                .get("/.well-known/webfinger")
                .then()
                .statusCode(404);
        given().queryParam("resource", "acct:" + PodClient.handle("is_taken"))
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body("")
                .post("/api/v1/imports")
                .then()
                .statusCode(400);

        PodClient.createAccount("is_busy");
        String busy = PodClient.logIn("is_busy");
        PodClient.as(busy)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "mine", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201);
        PodClient.as(busy)
                .contentType(ContentType.JSON)
                .body(Map.of("handle", "x@127.0.0.1:9"))
                .post("/api/v1/imports")
                .then()
                .statusCode(409)
                .body("type", endsWith("/account-not-empty"));
        PodClient.as(busy).get("/api/v1/imports/nope").then().statusCode(404);
        given().get("/api/v1/imports/nope").then().statusCode(401);
    }

    private static Response start(Map<String, String> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/imports");
    }
}
