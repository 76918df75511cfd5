package org.transplant.migration.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.migration.export.ExportClient.allPages;
import static org.transplant.migration.export.ExportClient.createdTimes;
import static org.transplant.migration.export.ExportClient.stream;
import static org.transplant.migration.export.ExportClient.texts;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CollectionsExportTest {

    static final List<String> COLLECTIONS =
            List.of("contacts", "photos", "conversations", "tag-followings", "notifications");

    @Inject
    OidcFixture fixture;

    static Registration client;
    // A second grant to the same client replaces the first and ends its tokens: backup tokens get their own.
    static Registration backupClient;
    static String token;
    static String session;
    static JsonNode account;

    @BeforeEach
    void fill() throws Throwable {
        if (client != null) {
            return;
        }
        ExportClient.fill("col_ann", 21);
        client = fixture.register("Collections test", "client_secret_basic");
        backupClient = fixture.register("Collections backup", "client_secret_basic");
        token = ExportClient.token(fixture, client, "col_ann", "migration:read", null, null);
        session = PodClient.logIn("col_ann");
        account = ExportClient.account(token);
    }

    @Test
    void everyCollectionPagesOldestFirstToTheCountTheAccountAnnounces() {
        for (String collection : COLLECTIONS) {
            List<JsonNode> items = allPages(token, collection, 5);
            assertThat(items)
                    .as(collection)
                    .hasSize(account.path("counts").path(collection).asInt());
            assertThat(createdTimes(items)).as(collection).isSorted();
        }
        assertThat(account.path("counts").path("contacts").asInt()).isEqualTo(12);
        assertThat(account.path("counts").path("photos").asInt()).isEqualTo(4);
        assertThat(account.path("counts").path("conversations").asInt()).isEqualTo(3);
        assertThat(account.path("counts").path("tag-followings").asInt()).isEqualTo(10);
        assertThat(account.path("counts").path("notifications").asInt()).isEqualTo(30);
    }

    @Test
    void theStreamCarriesExactlyWhatThePagesCarry() {
        for (String collection : COLLECTIONS) {
            assertThat(stream(token, collection)).as(collection).isEqualTo(allPages(token, collection, 7));
        }
    }

    @Test
    void contactsAreThoseThePersonSeesWithTheirKeysAndAspects() {
        List<JsonNode> contacts = allPages(token, "contacts", 5);
        Map<String, Map<String, Object>> held = new TreeMap<>();
        String after = "";
        do {
            var page = PodClient.as(session)
                    .get("/api/v1/contacts?limit=5&after=" + after)
                    .then()
                    .statusCode(200)
                    .extract();
            List<Map<String, Object>> items = page.path("items");
            items.forEach(item -> held.put((String) item.get("handle"), item));
            after = page.path("next");
        } while (after != null);
        assertThat(texts(contacts, "handle")).containsExactlyInAnyOrderElementsOf(held.keySet());
        for (JsonNode contact : contacts) {
            Map<String, Object> seen = held.get(contact.path("handle").asText());
            assertThat(contact.path("following").asBoolean()).isEqualTo(seen.get("following"));
            assertThat(contact.path("follower").asBoolean()).isEqualTo(seen.get("follower"));
            assertThat(contact.path("blocked").asBoolean()).isEqualTo(seen.get("blocked"));
            assertThat(strings(contact.path("aspects"))).isEqualTo(seen.get("aspects"));
            assertThat(contact.path("publicKey").asText()).contains("BEGIN PUBLIC KEY");
            assertThat(contact.path("personGuid").asText()).isNotBlank();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void conversationsCarryTheirParticipantsAndMessages() {
        List<JsonNode> conversations = allPages(token, "conversations", 2);
        List<Map<String, Object>> held = PodClient.as(session)
                .get("/api/v1/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        Map<String, Map<String, Object>> byGuid = new TreeMap<>();
        held.forEach(c -> byGuid.put((String) c.get("guid"), c));
        assertThat(texts(conversations, "guid")).containsExactlyInAnyOrderElementsOf(byGuid.keySet());
        for (JsonNode conversation : conversations) {
            Map<String, Object> seen = byGuid.get(conversation.path("guid").asText());
            List<JsonNode> messages = list(conversation.path("messages"));
            assertThat(messages)
                    .hasSize(((Number) seen.get("messages")).intValue())
                    .hasSize(4);
            assertThat(createdTimes(messages)).isSorted();
            assertThat(strings(conversation.path("participants")))
                    .containsExactlyInAnyOrderElementsOf((List<String>) seen.get("participants"))
                    .contains(PodClient.handle("col_ann"));
            assertThat(conversation.path("subject").asText()).isEqualTo(seen.get("subject"));
        }
    }

    @Test
    void tagsAndRecentNotificationsAreThoseThePodShows() {
        List<Map<String, Object>> tags = PodClient.as(session)
                .get("/api/v1/tag-followings")
                .then()
                .statusCode(200)
                .extract()
                .path("$");
        assertThat(texts(allPages(token, "tag-followings", 3), "tag"))
                .containsExactlyInAnyOrderElementsOf(
                        tags.stream().map(t -> (String) t.get("tag")).toList());

        List<Map<String, Object>> latest = PodClient.as(session)
                .get("/api/v1/notifications?limit=30")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        List<JsonNode> notifications = allPages(token, "notifications", 8);
        assertThat(notifications.stream()
                        .map(n ->
                                n.path("kind").asText() + " " + n.path("actor").asText() + " "
                                        + Instant.parse(n.path("createdAt").asText()))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(latest.stream()
                        .map(n ->
                                n.get("kind") + " " + n.get("actor") + " " + Instant.parse((String) n.get("createdAt")))
                        .toList());
    }

    @Test
    void photosNameTheirPostAndTheUrlOfTheirBytes() {
        List<JsonNode> photos = allPages(token, "photos", 3);
        for (JsonNode photo : photos) {
            assertThat(photo.path("content").asText())
                    .isEqualTo(ExportClient.BASE + "/migration/v1/photos/"
                            + photo.path("guid").asText() + "/content");
            assertThat(photo.path("contentType").asText()).isEqualTo("image/png");
            assertThat(photo.path("sha256").asText()).hasSize(64);
            assertThat(photo.path("size").asLong()).isPositive();
        }
        // The generator puts every second photo in a post.
        assertThat(photos.stream().filter(p -> p.hasNonNull("postGuid")).count())
                .isEqualTo(2);
    }

    @Test
    void aBackupTokenWhoseSpanHoldsNothingSeesEmptyCollections() throws Throwable {
        String backup = ExportClient.token(
                fixture,
                backupClient,
                "col_ann",
                "backup:read",
                Instant.parse("1990-01-01T00:00:00Z"),
                Instant.parse("1990-12-31T00:00:00Z"));
        for (String collection : COLLECTIONS) {
            assertThat(allPages(backup, collection, 5)).as(collection).isEmpty();
            assertThat(stream(backup, collection)).as(collection).isEmpty();
        }
    }

    static List<String> strings(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        StreamSupport.stream(array.spliterator(), false).forEach(items::add);
        return items;
    }
}
