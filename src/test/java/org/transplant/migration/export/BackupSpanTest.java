package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * A {@code backup:read} grant limited to a time span reads nothing made outside it: not the comments and likes a post
 * of the span embeds, not a post's comment and like pages, not what hangs under a post made outside the span, and
 * not by way of {@code migration:read} granted next to it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BackupSpanTest {

    private static final Instant FROM = Instant.parse("2024-06-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2024-06-30T23:59:59Z");

    @Inject
    OidcFixture fixture;

    @Inject
    Pool pool;

    @Test
    void theSpanBindsEmbeddedAndPerPostCommentsAndLikesWhateverElseTheGrantHolds() throws Throwable {
        String session = PodClient.signedIn("bsp_ann");
        String inside = PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "in the span", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        String outside = PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "before the span", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        sql("UPDATE posts SET created_at = '2024-06-15T10:00:00Z' WHERE guid = '" + inside + "'");
        sql("UPDATE posts SET created_at = '2023-01-01T10:00:00Z' WHERE guid = '" + outside + "'");
        comment("bsp-c-in", inside, "2024-06-20T10:00:00Z");
        comment("bsp-c-late", inside, "2025-03-01T10:00:00Z");
        comment("bsp-c-under-old", outside, "2024-06-22T10:00:00Z");
        like("bsp-l-in", inside, "one@127.0.0.1:9", "2024-06-21T10:00:00Z");
        like("bsp-l-late", inside, "two@127.0.0.1:9", "2025-03-02T10:00:00Z");
        like("bsp-l-under-old", outside, "one@127.0.0.1:9", "2024-06-23T10:00:00Z");

        Registration backupApp = fixture.register("Span backup", "client_secret_basic");
        Registration bothApp = fixture.register("Span backup and migration", "client_secret_basic");
        Registration migrationApp = fixture.register("Whole migration", "client_secret_basic");
        String backup = fixture.accessToken(backupApp, "bsp_ann", "backup:read", FROM, UNTIL);
        String both = fixture.accessToken(bothApp, "bsp_ann", "migration:read backup:read", FROM, UNTIL);
        String whole = fixture.accessToken(migrationApp, "bsp_ann", "migration:read", null, null);

        for (String token : List.of(backup, both)) {
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/posts")
                    .then()
                    .statusCode(200)
                    .body("items.guid", contains(inside))
                    .body("items[0].comments.guid", contains("bsp-c-in"))
                    .body("items[0].likes.guid", contains("bsp-l-in"))
                    .body("items[0].commentCount", equalTo(1))
                    .body("items[0].likeCount", equalTo(1));
            given().auth()
                    .oauth2(token)
                    .accept("application/x-ndjson")
                    .get("/migration/v1/posts")
                    .then()
                    .statusCode(200)
                    .body(Matchers.not(Matchers.containsString("late")));
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/posts/" + inside + "/comments")
                    .then()
                    .statusCode(200)
                    .body("items.guid", contains("bsp-c-in"));
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/posts/" + inside + "/likes")
                    .then()
                    .statusCode(200)
                    .body("items.guid", contains("bsp-l-in"));
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/posts/" + outside + "/comments")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/posts/" + outside + "/likes")
                    .then()
                    .statusCode(404);
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/account")
                    .then()
                    .statusCode(200)
                    .body("counts.posts", equalTo(1))
                    .body("counts.comments", equalTo(1))
                    .body("counts.likes", equalTo(1));
        }

        // A grant without a span sees everything, as before.
        given().auth()
                .oauth2(whole)
                .get("/migration/v1/posts")
                .then()
                .statusCode(200)
                .body("items.guid", contains(outside, inside))
                .body("items[1].comments.guid", contains("bsp-c-in", "bsp-c-late"))
                .body("items[0].likes.guid", contains("bsp-l-under-old"));
        given().auth()
                .oauth2(whole)
                .get("/migration/v1/posts/" + inside + "/comments")
                .then()
                .statusCode(200)
                .body("items.guid", containsInAnyOrder("bsp-c-in", "bsp-c-late"));
    }

    @Test
    void aPostOutsideTheSpanIsA404ThatSaysWhatTheTokenMayReadAndEveryAnswerNamesTheSpan() throws Throwable {
        String session = PodClient.signedIn("bsp_bo");
        String outside = PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "long before the span", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        sql("UPDATE posts SET created_at = '2023-01-01T10:00:00Z' WHERE guid = '" + outside + "'");
        String backup = fixture.accessToken(
                fixture.register("Span words", "client_secret_basic"), "bsp_bo", "backup:read", FROM, UNTIL);
        String whole = fixture.accessToken(
                fixture.register("No span words", "client_secret_basic"), "bsp_bo", "migration:read", null, null);
        String span = "from=2024-06-01T00:00:00Z; until=2024-06-30T23:59:59Z";

        String outsideDetail = given().auth()
                .oauth2(backup)
                .get("/migration/v1/posts/" + outside + "/comments")
                .then()
                .statusCode(404)
                .header("Backup-Span", span)
                .extract()
                .path("detail");
        String missingDetail = given().auth()
                .oauth2(backup)
                .get("/migration/v1/posts/no-such-post/likes")
                .then()
                .statusCode(404)
                .extract()
                .path("detail");
        assertThat(outsideDetail)
                .isEqualTo(missingDetail.replace("no-such-post", outside))
                .isEqualTo("No post " + outside + " within what this authorization may read"
                        + " (posts made from 2024-06-01 to 2024-06-30)");
        given().auth()
                .oauth2(backup)
                .get("/migration/v1/photos/no-such-photo/content")
                .then()
                .statusCode(404)
                .header("Backup-Span", span)
                .body(
                        "detail",
                        equalTo("No photo no-such-photo within what this authorization may read"
                                + " (photos made from 2024-06-01 to 2024-06-30)"));

        for (String path : List.of("/migration/v1/account", "/migration/v1/posts")) {
            given().auth().oauth2(backup).get(path).then().statusCode(200).header("Backup-Span", span);
            given().auth().oauth2(whole).get(path).then().statusCode(200).header("Backup-Span", Matchers.nullValue());
        }
        given().auth()
                .oauth2(backup)
                .accept("application/x-ndjson")
                .get("/migration/v1/posts")
                .then()
                .statusCode(200)
                .header("Backup-Span", span)
                .header("Migration-Format-Version", "1.1");
        given().auth()
                .oauth2(whole)
                .accept("application/x-ndjson")
                .get("/migration/v1/posts")
                .then()
                .statusCode(200)
                .header("Backup-Span", Matchers.nullValue())
                .header("Migration-Format-Version", "1.1");

        // Without a span, the 404 says what it always said.
        given().auth()
                .oauth2(whole)
                .get("/migration/v1/posts/no-such-post/likes")
                .then()
                .statusCode(404)
                .header("Backup-Span", Matchers.nullValue())
                .body("detail", equalTo("The post no-such-post does not exist here"));
    }

    private void comment(String guid, String post, String at) {
        sql("INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at) SELECT '" + guid + "', id,"
                + " 'one@127.0.0.1:9', '" + guid + "', 1, '" + at + "' FROM posts WHERE guid = '" + post + "'");
    }

    private void like(String guid, String post, String author, String at) {
        sql("INSERT INTO likes (guid, post_id, author_handle, seq, created_at) SELECT '" + guid + "', id, '" + author
                + "', 1, '" + at + "' FROM posts WHERE guid = '" + post + "'");
    }

    private void sql(String statement) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> pool.query(statement).execute());
        } catch (Throwable e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
