package org.transplant.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.FromAddress;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * A stranger's share: client registrations, sign-ups and import starts are limited per client address. The N+1st
 * from one address is a 429 problem with Retry-After that writes nothing; another address still gets through.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ClientLimitsTest.Tight.class)
class ClientLimitsTest {

    static final int LIMIT = 3;

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "transplant.limits.registrations-per-hour",
                    String.valueOf(LIMIT),
                    "transplant.limits.sign-ups-per-hour",
                    String.valueOf(LIMIT),
                    "transplant.limits.import-starts-per-hour",
                    String.valueOf(LIMIT));
        }
    }

    @Test
    void registrationsPerAddress() {
        for (int i = 0; i < LIMIT; i++) {
            register("127.0.0.21", "App " + i).then().statusCode(201);
        }
        assertLimited(register("127.0.0.21", "One too many"));
        register("127.0.0.22", "Elsewhere").then().statusCode(201);
    }

    @Test
    void signUpsPerAddress() {
        for (int i = 0; i < LIMIT; i++) {
            signUp("127.0.0.23", "lim_su" + i).then().statusCode(303);
        }
        assertLimited(signUp("127.0.0.23", "lim_su_over"));
        given("127.0.0.23")
                .queryParam("resource", "acct:" + PodClient.handle("lim_su_over"))
                .get("/.well-known/webfinger")
                .then()
                .statusCode(404);
        signUp("127.0.0.24", "lim_su_other").then().statusCode(303);
    }

    @Test
    void importStartsPerAddressCountTheFormAndTheApiAlike() {
        // Refused starts count too: each already cost a look-up.
        importApi("127.0.0.25", "lim_im0").then().statusCode(400);
        importForm("127.0.0.25", "lim_im1").then().statusCode(400);
        importApi("127.0.0.25", "lim_im2").then().statusCode(400);
        assertLimited(importApi("127.0.0.25", "lim_im3"));
        Response form = importForm("127.0.0.25", "lim_im4");
        assertThat(form.statusCode()).isEqualTo(429);
        assertThat(form.header("Retry-After")).isNotBlank();
        importApi("127.0.0.26", "lim_im5").then().statusCode(400);
    }

    private static void assertLimited(Response response) {
        response.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/too-many-requests"));
        assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
    }

    private static Response register(String from, String name) {
        return given(from)
                .contentType(ContentType.JSON)
                .body(Map.of("client_name", name, "redirect_uris", List.of("https://limits.example/cb")))
                .post("/oauth/register");
    }

    private static Response signUp(String from, String username) {
        String csrf = PodClient.csrf();
        return given(from)
                .redirects()
                .follow(false)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("username", username)
                .formParam("email", username + "@example.org")
                .formParam("password", PodClient.PASSWORD)
                .formParam("csrf", csrf)
                .post("/signup");
    }

    /** A start the pod refuses (the handle names no pod) after taking it from the address's share. */
    private static Response importApi(String from, String username) {
        return given(from)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "handle",
                        "not a handle",
                        "username",
                        username,
                        "password",
                        PodClient.PASSWORD,
                        "email",
                        username + "@example.org"))
                .post("/api/v1/imports");
    }

    private static Response importForm(String from, String username) {
        String csrf = PodClient.csrf();
        return given(from)
                .redirects()
                .follow(false)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("handle", "not a handle")
                .formParam("username", username)
                .formParam("email", username + "@example.org")
                .formParam("password", PodClient.PASSWORD)
                .formParam("csrf", csrf)
                .post("/import");
    }

    private static RequestSpecification given(String from) {
        return FromAddress.given(from);
    }
}
