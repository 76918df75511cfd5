package org.transplant.pod.tag;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class TagFollowingsApiTest {

    @Test
    void followingATagIsIdempotentAndNormalised() {
        String tia = signedIn("tg_tia");
        as(tia).body(Map.of("tag", " #Climbing "))
                .post("/api/v1/tag-followings")
                .then()
                .statusCode(201)
                .body("tag", equalTo("climbing"))
                .body("createdAt", notNullValue());
        as(tia).body(Map.of("tag", "climbing"))
                .post("/api/v1/tag-followings")
                .then()
                .statusCode(200)
                .body("tag", equalTo("climbing"));
        as(tia).body(Map.of("tag", "art")).post("/api/v1/tag-followings").then().statusCode(201);
        as(tia).get("/api/v1/tag-followings").then().statusCode(200).body("tag", contains("art", "climbing"));
    }

    @Test
    void unfollowingRemovesTheTag() {
        String tom = signedIn("tg_tom");
        as(tom).body(Map.of("tag", "music"))
                .post("/api/v1/tag-followings")
                .then()
                .statusCode(201);
        as(tom).delete("/api/v1/tag-followings/Music").then().statusCode(204);
        as(tom).get("/api/v1/tag-followings").then().body("", empty());
        as(tom).delete("/api/v1/tag-followings/music").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badTagsAreRefused() {
        String ted = signedIn("tg_ted");
        for (String tag : new String[] {"", "#", "two words", "x".repeat(65), "ü"}) {
            as(ted).body(Map.of("tag", tag))
                    .post("/api/v1/tag-followings")
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("tag"));
        }
        as(ted).body("{\"tag\": ")
                .post("/api/v1/tag-followings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(ted).get("/api/v1/tag-followings").then().body("", empty());
    }

    @Test
    void tagsAreEachAccountsOwn() {
        String una = signedIn("tg_una");
        String eve = signedIn("tg_eve");
        as(una).body(Map.of("tag", "secret"))
                .post("/api/v1/tag-followings")
                .then()
                .statusCode(201);
        as(eve).get("/api/v1/tag-followings").then().body("", empty());
        as(eve).delete("/api/v1/tag-followings/secret").then().statusCode(404);
        as(una).get("/api/v1/tag-followings").then().body("tag", contains("secret"));
        given().get("/api/v1/tag-followings").then().statusCode(401).contentType("application/problem+json");
    }
}
