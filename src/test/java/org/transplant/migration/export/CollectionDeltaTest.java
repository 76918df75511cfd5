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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CollectionDeltaTest {

    @Inject
    OidcFixture fixture;

    @Test
    void pagesKeepTheirSnapshotAndADeltaCarriesWhatChangedAfterIt() throws Throwable {
        ExportClient.fill("col_dee", 41);
        var client = fixture.register("Delta test", "client_secret_basic");
        String token = ExportClient.token(fixture, client, "col_dee", "migration:read", null, null);
        String session = PodClient.logIn("col_dee");
        long snapshot = ExportClient.account(token).path("snapshot").asLong();
        List<JsonNode> contactsBefore = allPages(token, "contacts", 5);

        // Start paging conversations, change things, then finish: the pages still show the snapshot.
        JsonNode first = ExportClient.read(given().auth()
                .oauth2(token)
                .get("/migration/v1/conversations?limit=1")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        List<JsonNode> conversations = new ArrayList<>();
        first.path("items").forEach(conversations::add);
        String lastGuid =
                allPages(token, "conversations", 10).get(2).path("guid").asText();
        PodClient.as(session)
                .body(Map.of("text", "written during the export"))
                .post("/api/v1/conversations/" + lastGuid + "/messages")
                .then()
                .statusCode(201);
        PodClient.as(session)
                .body(Map.of("tag", "latecomer"))
                .post("/api/v1/tag-followings")
                .then()
                .statusCode(201);
        String blocked = contactsBefore.get(0).path("handle").asText();
        PodClient.as(session)
                .post("/api/v1/contacts/" + blocked + "/block")
                .then()
                .statusCode(200);

        String next = first.path("next").asText().substring(ExportClient.BASE.length());
        while (next != null) {
            JsonNode page = ExportClient.read(given().auth()
                    .oauth2(token)
                    .get(next)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            page.path("items").forEach(conversations::add);
            next = page.hasNonNull("next") ? page.get("next").asText().substring(ExportClient.BASE.length()) : null;
        }
        assertThat(conversations)
                .hasSize(3)
                .allSatisfy(c -> assertThat(c.path("messages").size()).isEqualTo(4));

        String delta = "&changedAfter=" + snapshot;
        List<JsonNode> changed = allPages(token, "conversations", 5, delta);
        assertThat(texts(changed, "guid")).containsExactly(lastGuid);
        assertThat(changed.get(0).path("messages")).hasSize(5);
        assertThat(texts(allPages(token, "tag-followings", 5, delta), "tag")).containsExactly("latecomer");
        assertThat(texts(allPages(token, "tag-followings", 5, "&snapshot=" + snapshot), "tag"))
                .hasSize(10)
                .doesNotContain("latecomer");
        List<JsonNode> changedContacts = allPages(token, "contacts", 5, delta);
        assertThat(texts(changedContacts, "handle")).containsExactly(blocked);
        assertThat(changedContacts.get(0).path("blocked").asBoolean()).isTrue();

        // A snapshot read and the delta after it together hold every contact once: counted as a list, so a contact
        // in both (or on two pages) shows up twice and fails.
        List<String> both = new ArrayList<>(texts(allPages(token, "contacts", 5, "&snapshot=" + snapshot), "handle"));
        both.addAll(texts(changedContacts, "handle"));
        assertThat(texts(contactsBefore, "handle")).doesNotHaveDuplicates();
        assertThat(both).containsExactlyInAnyOrderElementsOf(texts(contactsBefore, "handle"));
    }
}
