package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.migration.export.MigrationContractTest.INSTANT;
import static org.transplant.migration.export.MigrationContractTest.RESPONSES;
import static org.transplant.migration.export.MigrationContractTest.STRICT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * The contract ({@code openapi/migration-v1.yaml}) for the collections after posts and for photo bytes: every page
 * of contacts, photos, conversations, messages, tag followings and notifications, a stream, and the photo content endpoint
 * (200, 206, 304, 404, 416), all through the validating filter of {@link MigrationContractTest}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationContractCollectionsTest {

    static final List<String> COLLECTIONS =
            List.of("contacts", "photos", "conversations", "messages", "tag-followings", "notifications");

    @Inject
    OidcFixture fixture;

    /** Made once per class: one instance serves every test here. */
    String token;

    @BeforeEach
    void account() throws Throwable {
        if (token != null) {
            return;
        }
        PodClient.createAccount("contract_all");
        Map<String, Object> amounts = new HashMap<>(Map.of(
                "posts",
                12,
                "commentsPerPost",
                1,
                "likesPerPost",
                2,
                "photos",
                5,
                "photoBytes",
                3000,
                "contacts",
                7,
                "conversations",
                3,
                "messagesPerConversation",
                2));
        amounts.put("seed", 13);
        PodClient.admin()
                .body(amounts)
                .post("/admin/v1/accounts/contract_all/synthetic-content")
                .then()
                .statusCode(200);
        Registration app = fixture.register("Contract collections", "client_secret_basic");
        token = fixture.accessToken(app, "contract_all", "migration:read", null, null);
    }

    @Test
    void tombstonesFollowTheContract() {
        String session = PodClient.logIn("contract_all");
        String guid = PodClient.as(session)
                .body(Map.of("text", "short-lived"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        PodClient.as(session).delete("/api/v1/posts/" + guid).then().statusCode(204);
        Response page = given().filter(STRICT)
                .auth()
                .oauth2(token)
                .accept("application/json")
                .get("/migration/v1/tombstones");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.<List<String>>path("items.guid")).contains(guid);
    }

    @Test
    void perPostCommentsAndLikesFollowTheContract() {
        String post = given().auth()
                .oauth2(token)
                .accept("application/json")
                .get("/migration/v1/posts?limit=1")
                .path("items[0].guid");
        for (String kind : List.of("comments", "likes")) {
            Response page = given().filter(STRICT)
                    .auth()
                    .oauth2(token)
                    .accept("application/json")
                    .get("/migration/v1/posts/" + post + "/" + kind + "?limit=1");
            assertThat(page.statusCode()).as(kind).isEqualTo(200);
            assertThat(page.<List<?>>path("items")).as(kind).hasSize(1);
        }
        given().filter(RESPONSES)
                .auth()
                .oauth2(token)
                .accept("application/json")
                .get("/migration/v1/posts/0123456789abcdef0123456789abcdef/comments")
                .then()
                .statusCode(404);
    }

    @Test
    void everyCollectionPagesAsTheContractSays() {
        for (String collection : COLLECTIONS) {
            Response first = given().filter(STRICT)
                    .auth()
                    .oauth2(token)
                    .accept("application/json")
                    .queryParam("limit", 2)
                    .get("/migration/v1/" + collection);
            assertThat(first.statusCode()).as(collection).isEqualTo(200);
            assertThat(first.<String>path("collection")).isEqualTo(collection);
            List<Map<String, Object>> items = first.path("items");
            assertThat(items).as(collection).isNotEmpty();
            assertThat((String) items.get(0).get("createdAt")).as(collection).matches(INSTANT);
            // The account holds at least three of each, so a page of two always has a next one.
            String next = first.path("next");
            assertThat(next).as(collection).isNotNull();
            Response second = given().filter(STRICT)
                    .auth()
                    .oauth2(token)
                    .accept("application/json")
                    .get(next);
            assertThat(second.statusCode()).as(collection).isEqualTo(200);
            assertThat(second.<List<?>>path("items")).as(collection).isNotEmpty();
            given().filter(STRICT)
                    .auth()
                    .oauth2(token)
                    .accept("application/json")
                    .header("If-None-Match", second.header("ETag"))
                    .get(next)
                    .then()
                    .statusCode(304);
            Response stream = given().filter(STRICT)
                    .auth()
                    .oauth2(token)
                    .accept("application/x-ndjson")
                    .get("/migration/v1/" + collection);
            assertThat(stream.statusCode()).as(collection).isEqualTo(200);
            assertThat(stream.asString().lines())
                    .as(collection)
                    .isNotEmpty()
                    .allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        }
    }

    @Test
    void photoBytesWholeRangedRevalidatedAndRefusedAsTheContractSays() {
        Map<String, Object> photo = given().filter(STRICT)
                .auth()
                .oauth2(token)
                .accept("application/json")
                .get("/migration/v1/photos")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0]");
        String content = (String) photo.get("content");
        long size = ((Number) photo.get("size")).longValue();

        Response whole = given().filter(STRICT).auth().oauth2(token).get(content);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.asByteArray()).hasSize((int) size);
        String etag = whole.header("ETag");

        Response part = given().filter(STRICT)
                .auth()
                .oauth2(token)
                .header("Range", "bytes=10-99")
                .get(content);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 10-99/" + size);
        assertThat(part.asByteArray()).hasSize(90);

        given().filter(STRICT)
                .auth()
                .oauth2(token)
                .header("If-None-Match", etag)
                .get(content)
                .then()
                .statusCode(304);
        given().filter(STRICT)
                .auth()
                .oauth2(token)
                .header("Range", "bytes=" + (size + 10) + "-")
                .get(content)
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + size);
        given().filter(RESPONSES)
                .auth()
                .oauth2(token)
                .accept("application/json")
                .get("/migration/v1/photos/no-such-photo/content")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
