package org.transplant.pod.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AdminAccountsTest {

    @Test
    void adminOpensAnAccountWithoutEchoingSecrets() {
        String body = PodClient.admin()
                .body(Map.of("username", "alice_admin", "password", "correct horse battery", "email", "a@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(201)
                .header("Location", containsString("/u/alice_admin"))
                .body("handle", equalTo("alice_admin@localhost:8081"))
                .body("publicKey", containsString("BEGIN PUBLIC KEY"))
                .extract()
                .asString();
        Assertions.assertThat(body).doesNotContain("correct horse").doesNotContain("PRIVATE");
    }

    @Test
    void takenUsernameIsAConflictAndWritesNothing() {
        PodClient.createAccount("taken_name");
        PodClient.admin()
                .body(Map.of("username", "taken_name", "password", "another good password", "email", "b@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("username-taken"));
        given().get("/u/taken_name").then().statusCode(200);
    }

    @Test
    void badInputIsRefusedWithAProblem() {
        PodClient.admin()
                .body(Map.of("username", "bad mail", "password", "good password 123", "email", "x@y.z"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("username"));
        PodClient.admin()
                .body(Map.of("username", "badmail", "password", "good password 123", "email", "nope"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("email"));
        PodClient.admin()
                .body(Map.of("username", "weakpw", "password", "aaaaaaaaaaaa", "email", "w@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("password"));
        PodClient.admin()
                .body(Map.of("username", "emptypw", "password", "", "email", "w@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("password"));
        PodClient.admin()
                .body("{\"username\": \"broken\",")
                .post("/admin/v1/accounts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("malformed-json"));
        given().get("/u/weakpw").then().statusCode(404);
        given().get("/u/broken").then().statusCode(404);
    }

    @Test
    void adminApiNeedsTheToken() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "sneaky", "password", "good password 123", "email", "s@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer wrong")
                .body(Map.of("username", "sneaky", "password", "good password 123", "email", "s@example.org"))
                .post("/admin/v1/accounts")
                .then()
                .statusCode(401);
        given().get("/u/sneaky").then().statusCode(404);
    }

    @Test
    void personLogsInWithTheFormAndGetsASession() {
        PodClient.createAccount("formuser");
        String session = PodClient.logIn("formuser");
        given().cookie("transplant_session", session)
                .get("/api/v1/posts")
                .then()
                .statusCode(200)
                .body("items", notNullValue());
    }

    @Test
    void wrongPasswordShowsTheFormAgainWithoutASession() {
        PodClient.createAccount("wrongpw");
        var csrf = PodClient.csrf();
        var response = given().cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", "wrongpw")
                .formParam("password", "not the password")
                .formParam("csrf", csrf)
                .post("/login");
        response.then().statusCode(401).body(containsString("Wrong username or password"));
        Assertions.assertThat(response.getCookie("transplant_session")).isNull();
    }

    @Test
    void logInFormWithoutCsrfTokenIsRefused() {
        PodClient.createAccount("nocsrf");
        given().contentType(ContentType.URLENC)
                .formParam("username", "nocsrf")
                .formParam("password", PodClient.PASSWORD)
                .post("/login")
                .then()
                .statusCode(403)
                .header("Set-Cookie", nullValue());
    }

    @Test
    void guessingAPasswordIsThrottledEvenForTheRightOne() {
        PodClient.createAccount("guessed");
        String csrf = PodClient.csrf();
        for (int i = 0; i < 10; i++) {
            given().cookie("transplant_csrf", csrf)
                    .contentType(ContentType.URLENC)
                    .formParam("username", "guessed")
                    .formParam("password", "guess number " + i)
                    .formParam("csrf", csrf)
                    .post("/login")
                    .then()
                    .statusCode(401);
        }
        var response = given().cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", "guessed")
                .formParam("password", PodClient.PASSWORD)
                .formParam("csrf", csrf)
                .post("/login");
        response.then().statusCode(429).body(containsString("Too many failed log-ins"));
        Assertions.assertThat(response.getCookie("transplant_session")).isNull();
    }
}
