package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;

/** What an export client does in the collection tests: fill an account, get a token, read a collection. */
final class ExportClient {

    static final String BASE = "http://localhost:8081";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportClient() {}

    /** A small account: 30 posts, 4 photos of 3000 bytes, 12 contacts, 3 conversations of 4 messages. */
    static void fill(String username, long seed) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "posts",
                30,
                "commentsPerPost",
                2,
                "likesPerPost",
                2,
                "photos",
                4,
                "photoBytes",
                3000,
                "contacts",
                12,
                "conversations",
                3,
                "messagesPerConversation",
                4));
        body.put("seed", seed);
        PodClient.createAccount(username);
        PodClient.admin()
                .body(body)
                .post("/admin/v1/accounts/" + username + "/synthetic-content")
                .then()
                .statusCode(200);
    }

    static String token(
            OidcFixture fixture, Registration client, String username, String scope, Instant from, Instant until)
            throws Throwable {
        return fixture.accessToken(client, username, scope, from, until);
    }

    /** Every item of a collection, page by page; each next link also comes as {@code Link: <…>; rel="next"}. */
    static List<JsonNode> allPages(String token, String collection, int limit) {
        return allPages(token, collection, limit, "");
    }

    /** As {@link #allPages(String, String, int)}, with more query parameters ({@code &snapshot=…}). */
    static List<JsonNode> allPages(String token, String collection, int limit, String query) {
        List<JsonNode> items = new ArrayList<>();
        String url = "/migration/v1/" + collection + "?limit=" + limit + query;
        int pages = 0;
        while (url != null) {
            ExtractableResponse<Response> response = given().auth()
                    .oauth2(token)
                    .accept("application/json")
                    .get(url)
                    .then()
                    .statusCode(200)
                    .extract();
            JsonNode page = read(response.asString());
            assertThat(page.path("formatVersion").asText()).isEqualTo(MigrationFormat.VERSION);
            assertThat(page.path("collection").asText()).isEqualTo(collection);
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            page.path("items").forEach(items::add);
            String next = page.hasNonNull("next") ? page.get("next").asText() : null;
            if (next != null) {
                assertThat(response.header("Link")).isEqualTo("<" + next + ">; rel=\"next\"");
                assertThat(next).startsWith(BASE + "/migration/v1/" + collection + "?cursor=");
            } else {
                assertThat(response.header("Link")).isNull();
            }
            url = next == null ? null : next.substring(BASE.length());
            assertThat(++pages).as("pages of " + collection).isLessThan(100);
        }
        return items;
    }

    /** The whole collection as NDJSON, one item a line. */
    static List<JsonNode> stream(String token, String collection) {
        String body = given().auth()
                .oauth2(token)
                .accept("application/x-ndjson")
                .get("/migration/v1/" + collection)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return body.lines().map(ExportClient::read).toList();
    }

    static JsonNode account(String token) {
        return read(given().auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    static List<String> texts(List<JsonNode> items, String field) {
        return items.stream().map(item -> item.path(field).asText()).toList();
    }

    static List<Instant> createdTimes(List<JsonNode> items) {
        return items.stream()
                .map(item -> Instant.parse(item.path("createdAt").asText()))
                .toList();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
