package org.transplant.migration.move;

import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.transplant.testing.FromAddress;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * The password check of {@code POST /account/delete} is throttled like log-ins: a session is no way around the
 * log-in throttle to guess the password. After the allowed wrong passwords even the right one waits.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DeletionThrottleTest {

    /** transplant.sessions.max-failed-logins' default. */
    private static final int ALLOWED = 10;

    @Test
    void wrongPasswordsAreThrottledThenEvenTheRightOneWaits() {
        String session = PodClient.signedIn("dt_ann");
        for (int i = 0; i < ALLOWED; i++) {
            delete(session, "guess " + i).then().statusCode(403).body("type", endsWith("/wrong-password"));
        }
        delete(session, "guess again")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/too-many-failed-logins"));
        // The right password would have said "not moved" (409); it is not even checked now.
        delete(session, PodClient.PASSWORD).then().statusCode(429);
        // The same counter as the log-in form: guessing here also stops log-ins of the account.
        String csrf = PodClient.csrf();
        FromAddress.given("127.0.0.41")
                .redirects()
                .follow(false)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", "dt_ann")
                .formParam("password", PodClient.PASSWORD)
                .formParam("csrf", csrf)
                .post("/login")
                .then()
                .statusCode(429);
        // Another account is not held back by dt_ann's guesses.
        delete(PodClient.signedIn("dt_bob"), PodClient.PASSWORD)
                .then()
                .statusCode(409)
                .body("type", endsWith("/account-not-moved"));
    }

    /** From an address of its own, so the per-address count of the other tests' log-ins stays apart. */
    private static Response delete(String session, String password) {
        String csrf = PodClient.csrf();
        return FromAddress.given("127.0.0.40")
                .redirects()
                .follow(false)
                .cookie("transplant_session", session)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf)
                .formParam("password", password)
                .post("/account/delete");
    }
}
