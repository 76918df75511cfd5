package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.migration.export.ExportClient.allPages;
import static org.transplant.migration.export.ExportClient.texts;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * What a delta (changedAfter) carries beyond new rows of a collection: comments and likes added to posts copied
 * before, comments deleted since (tombstones), and a conversation longer than what a conversation embeds, paged
 * whole through the messages collection.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DeltaCompletenessTest {

    @Inject
    OidcFixture fixture;

    @Test
    void aPostsDeltaCarriesOldPostsWithNewCommentsAndLikesAndTheTombstonesOfDeletedComments() throws Throwable {
        ExportClient.fill("dlc_ann", 51);
        PodClient.createAccount("dlc_bob");
        var client = fixture.register("Delta completeness", "client_secret_basic");
        String token = ExportClient.token(fixture, client, "dlc_ann", "migration:read", null, null);
        String ann = PodClient.logIn("dlc_ann");
        String bob = PodClient.logIn("dlc_bob");
        List<JsonNode> posts = new ArrayList<>();
        allPages(token, "posts", 50).stream()
                .filter(p -> p.path("public").asBoolean())
                .forEach(posts::add);
        assertThat(posts).hasSizeGreaterThanOrEqualTo(3);
        String commented = posts.get(0).path("guid").asText();
        String liked = posts.get(1).path("guid").asText();
        JsonNode trimmed = posts.get(2);
        String deletedComment = trimmed.path("comments").get(0).path("guid").asText();
        long snapshot = ExportClient.account(token).path("snapshot").asLong();

        String newComment = PodClient.as(bob)
                .body(Map.of("text", "a word on an old post"))
                .post("/api/v1/posts/" + commented + "/comments")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        String newLike = PodClient.as(bob)
                .post("/api/v1/posts/" + liked + "/likes")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        // The post's owner deletes a comment someone else wrote under it.
        PodClient.as(ann)
                .delete("/api/v1/posts/" + trimmed.path("guid").asText() + "/comments/" + deletedComment)
                .then()
                .statusCode(204);

        String delta = "&changedAfter=" + snapshot;
        List<JsonNode> changed = allPages(token, "posts", 50, delta);
        assertThat(texts(changed, "guid")).containsExactlyInAnyOrder(commented, liked);
        JsonNode withComment = changed.stream()
                .filter(p -> p.path("guid").asText().equals(commented))
                .findFirst()
                .orElseThrow();
        assertThat(texts(list(withComment.path("comments")), "guid")).contains(newComment);
        JsonNode withLike = changed.stream()
                .filter(p -> p.path("guid").asText().equals(liked))
                .findFirst()
                .orElseThrow();
        assertThat(texts(list(withLike.path("likes")), "guid")).contains(newLike);

        List<JsonNode> tombstones = allPages(token, "tombstones", 50, delta);
        assertThat(tombstones).hasSize(1);
        assertThat(tombstones.get(0).path("kind").asText()).isEqualTo("comment");
        assertThat(tombstones.get(0).path("guid").asText()).isEqualTo(deletedComment);
        assertThat(texts(
                        list(allPages(token, "posts", 50).stream()
                                .filter(p -> p.path("guid")
                                        .asText()
                                        .equals(trimmed.path("guid").asText()))
                                .findFirst()
                                .orElseThrow()
                                .path("comments")),
                        "guid"))
                .doesNotContain(deletedComment);
    }

    @Test
    void aCommentIsDeletedOnlyByItsAuthorOrThePostsOwner() throws Throwable {
        ExportClient.fill("dlc_cat", 52);
        PodClient.createAccount("dlc_dan");
        PodClient.createAccount("dlc_eve");
        var client = fixture.register("Comment deletion", "client_secret_basic");
        String token = ExportClient.token(fixture, client, "dlc_cat", "migration:read", null, null);
        String post = allPages(token, "posts", 50).stream()
                .filter(p -> p.path("public").asBoolean())
                .findFirst()
                .orElseThrow()
                .path("guid")
                .asText();
        String dan = PodClient.logIn("dlc_dan");
        String eve = PodClient.logIn("dlc_eve");
        String comment = PodClient.as(dan)
                .body(Map.of("text", "mine"))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        long before = ExportClient.account(token).path("snapshot").asLong();
        // Someone else learns nothing: the same 404 as for a comment that does not exist.
        PodClient.as(eve)
                .delete("/api/v1/posts/" + post + "/comments/" + comment)
                .then()
                .statusCode(404);
        assertThat(allPages(token, "tombstones", 50, "&changedAfter=" + before)).isEmpty();
        PodClient.as(dan)
                .delete("/api/v1/posts/" + post + "/comments/" + comment)
                .then()
                .statusCode(204);
        assertThat(texts(allPages(token, "tombstones", 50, "&changedAfter=" + before), "guid"))
                .containsExactly(comment);
        PodClient.as(dan)
                .delete("/api/v1/posts/" + post + "/comments/" + comment)
                .then()
                .statusCode(404);
    }

    @Test
    void aConversationOfAnyLengthArrivesWholeThroughTheMessagesCollection() throws Throwable {
        Map<String, Object> body = new HashMap<>(
                Map.of("posts", 0, "contacts", 2, "conversations", 2, "messagesPerConversation", 260, "seed", 53));
        PodClient.createAccount("dlc_fay");
        PodClient.admin()
                .body(body)
                .post("/admin/v1/accounts/dlc_fay/synthetic-content")
                .then()
                .statusCode(200);
        var client = fixture.register("Long conversations", "client_secret_basic");
        String token = ExportClient.token(fixture, client, "dlc_fay", "migration:read", null, null);
        JsonNode account = ExportClient.account(token);
        assertThat(account.path("counts").path("messages").asLong()).isEqualTo(520);
        assertThat(account.path("collections").has("messages")).isTrue();

        List<JsonNode> conversations = allPages(token, "conversations", 10);
        assertThat(conversations).hasSize(2).allSatisfy(c -> {
            assertThat(c.path("messageCount").asLong()).isEqualTo(260);
            assertThat(c.path("messages").size()).isEqualTo(ConversationExporter.EMBEDDED);
        });

        // 520 messages in pages of 100: six pages, each found by the cursor of the one before.
        List<JsonNode> messages = allPages(token, "messages", 100);
        assertThat(messages).hasSize(520);
        assertThat(new HashSet<>(texts(messages, "guid"))).hasSize(520);
        Map<String, Integer> perConversation = new HashMap<>();
        messages.forEach(m -> perConversation.merge(m.path("conversationGuid").asText(), 1, Integer::sum));
        assertThat(perConversation)
                .containsOnlyKeys(texts(conversations, "guid"))
                .allSatisfy((guid, n) -> assertThat(n).isEqualTo(260));
        assertThat(texts(messages, "createdAt")).isSorted();

        // A message written after the snapshot: the delta serves its conversation's messages, the new one among them.
        long snapshot = account.path("snapshot").asLong();
        String longOne = conversations.get(1).path("guid").asText();
        String fay = PodClient.logIn("dlc_fay");
        String written = PodClient.as(fay)
                .body(Map.of("text", "the 261st"))
                .post("/api/v1/conversations/" + longOne + "/messages")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        List<JsonNode> delta = allPages(token, "messages", 100, "&changedAfter=" + snapshot);
        assertThat(texts(delta, "guid")).hasSize(261).contains(written);
        Set<String> deltaConversations = new HashSet<>(texts(delta, "conversationGuid"));
        assertThat(deltaConversations).containsExactly(longOne);
        given().auth()
                .oauth2(token)
                .get("/migration/v1/messages?limit=1001")
                .then()
                .statusCode(400);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
