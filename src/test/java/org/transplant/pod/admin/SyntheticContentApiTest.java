package org.transplant.pod.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SyntheticContentApiTest {

    static Map<String, Object> amounts(int posts) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "posts",
                posts,
                "commentsPerPost",
                2,
                "likesPerPost",
                3,
                "photos",
                2,
                "photoBytes",
                4000,
                "contacts",
                10,
                "conversations",
                2,
                "messagesPerConversation",
                3));
        body.put("seed", 7);
        return body;
    }

    @Test
    void adminFillsAnAccountThatThenShowsOnItsPagesAndApi() {
        PodClient.createAccount("filled");
        PodClient.admin()
                .body(amounts(60))
                .post("/admin/v1/accounts/filled/synthetic-content")
                .then()
                .statusCode(200)
                .body("posts", equalTo(60))
                .body("comments", equalTo(120))
                .body("likes", equalTo(180))
                .body("photos", equalTo(2));

        String session = PodClient.logIn("filled");
        String next = PodClient.as(session)
                .get("/api/v1/posts?limit=50")
                .then()
                .statusCode(200)
                .body("items", hasSize(50))
                .extract()
                .path("next");
        PodClient.as(session)
                .get("/api/v1/posts?limit=50&cursor=" + next)
                .then()
                .statusCode(200)
                .body("items", hasSize(10));
        PodClient.as(session)
                .get("/api/v1/contacts?limit=100")
                .then()
                .statusCode(200)
                .body("items", hasSize(10));
        PodClient.as(session)
                .get("/api/v1/conversations")
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
        given().get("/u/filled")
                .then()
                .statusCode(200)
                .contentType(ContentType.HTML)
                .body(containsString("rel=\"next\""));
    }

    @Test
    void badAmountsUnknownAccountsAndMissingTokenAreRefused() {
        PodClient.createAccount("fill_refusals");
        Map<String, Object> negative = amounts(10);
        negative.put("posts", -1);
        PodClient.admin()
                .body(negative)
                .post("/admin/v1/accounts/fill_refusals/synthetic-content")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("posts"));
        PodClient.admin()
                .body(amounts(10))
                .post("/admin/v1/accounts/nobody_there/synthetic-content")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(amounts(10))
                .post("/admin/v1/accounts/fill_refusals/synthetic-content")
                .then()
                .statusCode(401);
        String session = PodClient.logIn("fill_refusals");
        PodClient.as(session).get("/api/v1/posts").then().body("items", hasSize(0));
    }
}
