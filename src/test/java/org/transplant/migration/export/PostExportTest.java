package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.StoppedClock;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PostExportTest {

    static final String BASE = "http://localhost:8081";

    @Inject
    OidcFixture fixture;

    @Inject
    TransplantConfig config;

    static Registration client;
    /** A second app: a new consent to the same app replaces its grant, and with it the tokens issued before. */
    static Registration otherApp;

    static String annToken;
    static String annSession;

    @BeforeEach
    void fill() throws Throwable {
        if (client != null) {
            return;
        }
        PodClient.createAccount("exp_ann");
        PodClient.createAccount("exp_bob");
        fillAccount("exp_ann", 120, 11);
        fillAccount("exp_bob", 10, 12);
        client = fixture.register("Exporter test", "client_secret_basic");
        otherApp = fixture.register("Another app", "client_secret_basic");
        annToken = token("exp_ann", "migration:read");
        annSession = PodClient.logIn("exp_ann");
    }

    static void fillAccount(String username, int posts, int seed) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "posts",
                posts,
                "commentsPerPost",
                3,
                "likesPerPost",
                2,
                "photos",
                4,
                "photoBytes",
                3000,
                "contacts",
                5,
                "conversations",
                1,
                "messagesPerConversation",
                2));
        body.put("seed", seed);
        PodClient.admin()
                .body(body)
                .post("/admin/v1/accounts/" + username + "/synthetic-content")
                .then()
                .statusCode(200);
    }

    String token(String username, String scope) throws Throwable {
        return token(username, scope, null, null);
    }

    String token(String username, String scope, Instant from, Instant until) throws Throwable {
        return token(client, username, scope, from, until);
    }

    String token(Registration app, String username, String scope, Instant from, Instant until) throws Throwable {
        return fixture.accessToken(app, username, scope, from, until);
    }

    /** Every post of the collection, following next links; checks the Link header matches the body. */
    static List<Map<String, Object>> allPages(String token, String query) {
        List<Map<String, Object>> items = new ArrayList<>();
        String url = "/migration/v1/posts?limit=25" + query;
        while (url != null) {
            ExtractableResponse<Response> page = given().auth()
                    .oauth2(token)
                    .get(url)
                    .then()
                    .statusCode(200)
                    .header("Migration-Format-Version", MigrationFormat.VERSION)
                    .body("formatVersion", equalTo(MigrationFormat.VERSION))
                    .extract();
            items.addAll(page.path("items"));
            String next = page.path("next");
            if (next != null) {
                assertThat(page.header("Link")).isEqualTo("<" + next + ">; rel=\"next\"");
            }
            url = next == null ? null : next.replace(BASE, "");
        }
        return items;
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagesAndTheStreamCarryExactlyWhatThePodHolds() {
        var account = given().auth()
                .oauth2(annToken)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .body("handle", equalTo("exp_ann@localhost:8081"))
                .body("counts.posts", equalTo(120))
                .body("counts.comments", equalTo(360))
                .body("counts.likes", equalTo(240))
                .body("collections.posts", equalTo(BASE + "/migration/v1/posts"))
                .extract();
        assertThat((String) account.path("publicKey")).contains("BEGIN PUBLIC KEY");

        List<Map<String, Object>> paged = allPages(annToken, "");
        assertThat(paged).hasSize(120);
        List<String> guids = paged.stream().map(p -> (String) p.get("guid")).toList();
        assertThat(new TreeSet<>(guids)).hasSize(120);
        List<String> times =
                paged.stream().map(p -> (String) p.get("createdAt")).toList();
        assertThat(times).isSorted();
        long comments = paged.stream()
                .mapToLong(p -> ((List<?>) p.get("comments")).size())
                .sum();
        long likes =
                paged.stream().mapToLong(p -> ((List<?>) p.get("likes")).size()).sum();
        assertThat(comments).isEqualTo(360);
        assertThat(likes).isEqualTo(240);
        assertThat(paged.stream()
                        .mapToLong(p -> ((Number) p.get("commentCount")).longValue())
                        .sum())
                .isEqualTo(360);
        assertThat(paged.stream()
                        .mapToLong(p -> ((Number) p.get("likeCount")).longValue())
                        .sum())
                .isEqualTo(240);
        assertThat(paged)
                .allSatisfy(p -> assertThat(((List<Map<String, Object>>) p.get("comments")))
                        .allSatisfy(c -> assertThat(c.get("postGuid")).isEqualTo(p.get("guid"))));

        // What the person sees of their own posts through the pod's API is what the export carries.
        Set<String> held = new TreeSet<>();
        String cursor = null;
        do {
            var page = PodClient.as(annSession)
                    .get("/api/v1/posts?limit=100" + (cursor == null ? "" : "&cursor=" + cursor))
                    .then()
                    .statusCode(200)
                    .extract();
            List<String> pageGuids = page.path("items.guid");
            held.addAll(pageGuids);
            cursor = page.path("next");
        } while (cursor != null);
        assertThat(new TreeSet<>(guids)).isEqualTo(held);

        String ndjson = given().auth()
                .oauth2(annToken)
                .accept("application/x-ndjson")
                .get("/migration/v1/posts")
                .then()
                .statusCode(200)
                .header("Migration-Format-Version", MigrationFormat.VERSION)
                .extract()
                .asString();
        List<String> streamed =
                ndjson.lines().map(l -> JsonPath.from(l).getString("guid")).toList();
        assertThat(streamed).isEqualTo(guids);
    }

    @Test
    void aSnapshotStaysConsistentAndADeltaCarriesWhatCameAfter() throws Throwable {
        String token = token("exp_bob", "migration:read");
        int snapshot = given().auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .extract()
                .path("snapshot");
        String bob = PodClient.logIn("exp_bob");
        String guid = PodClient.as(bob)
                .body(Map.of("text", "written during the export"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");

        assertThat(allPages(token, "&snapshot=" + snapshot)).hasSize(10);
        List<Map<String, Object>> delta = allPages(token, "&changedAfter=" + snapshot);
        assertThat(delta).extracting(p -> p.get("guid")).containsExactly(guid);
        assertThat(allPages(token, "")).hasSize(11);
        given().auth()
                .oauth2(token)
                .get("/migration/v1/posts?snapshot=999999999")
                .then()
                .statusCode(400);

        String doomed = (String) allPages(token, "").get(0).get("guid");
        PodClient.as(bob).delete("/api/v1/posts/" + doomed).then().statusCode(204);
        given().auth()
                .oauth2(token)
                .get("/migration/v1/tombstones?changedAfter=" + snapshot)
                .then()
                .statusCode(200)
                .body("items.guid", Matchers.contains(doomed))
                .body("items.kind", Matchers.contains("post"));
        assertThat(allPages(token, "&changedAfter=" + snapshot))
                .extracting(p -> p.get("guid"))
                .containsExactly(guid);
    }

    @Test
    void aPostWithMoreCommentsThanEmbeddedHasThemAllOnItsOwnPages() throws Throwable {
        PodClient.createAccount("exp_busy");
        String busy = PodClient.logIn("exp_busy");
        String guid = PodClient.as(busy)
                .body(Map.of("text", "popular"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        for (int i = 0; i < 105; i++) {
            PodClient.as(busy)
                    .body(Map.of("text", "comment " + i))
                    .post("/api/v1/posts/" + guid + "/comments")
                    .then()
                    .statusCode(201);
        }
        PodClient.as(busy).post("/api/v1/posts/" + guid + "/likes").then().statusCode(201);
        String token = token(otherApp, "exp_busy", "migration:read", null, null);
        given().auth()
                .oauth2(token)
                .get("/migration/v1/posts")
                .then()
                .statusCode(200)
                .body("items[0].commentCount", equalTo(105))
                .body("items[0].comments.size()", equalTo(100))
                // Counted apart with the full list of comments: the one like beside them is counted too.
                .body("items[0].likeCount", equalTo(1))
                .body("items[0].likes.size()", equalTo(1));
        List<String> texts = new ArrayList<>();
        String url = "/migration/v1/posts/" + guid + "/comments?limit=40";
        while (url != null) {
            var page =
                    given().auth().oauth2(token).get(url).then().statusCode(200).extract();
            texts.addAll(page.path("items.text"));
            String next = page.path("next");
            url = next == null ? null : next.replace(BASE, "");
        }
        assertThat(texts).hasSize(105).contains("comment 0", "comment 104").doesNotHaveDuplicates();
        given().auth()
                .oauth2(token)
                .get("/migration/v1/posts/" + guid + "/likes")
                .then()
                .statusCode(200)
                .body("items.author", Matchers.contains("exp_busy@localhost:8081"));
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts/" + guid + "/comments")
                .then()
                .statusCode(404);
    }

    @Test
    void oneAccountsTokenNeverReadsAnother() throws Throwable {
        String bobToken = token("exp_bob", "migration:read");
        Set<String> bobs = new TreeSet<>();
        allPages(bobToken, "").forEach(p -> bobs.add((String) p.get("guid")));
        Set<String> anns = new TreeSet<>();
        allPages(annToken, "").forEach(p -> anns.add((String) p.get("guid")));
        assertThat(bobs).doesNotContainAnyElementsOf(anns);
        given().auth()
                .oauth2(bobToken)
                .get("/migration/v1/account")
                .then()
                .body("handle", equalTo("exp_bob@localhost:8081"));
    }

    @Test
    void aBackupTokenSeesOnlyItsTimeSpan() throws Throwable {
        List<Map<String, Object>> all = allPages(annToken, "");
        Instant from = Instant.parse((String) all.get(30).get("createdAt"));
        Instant until = Instant.parse((String) all.get(59).get("createdAt"));
        String backup = token(otherApp, "exp_ann", "backup:read", from, until);
        List<Map<String, Object>> seen = allPages(backup, "");
        assertThat(seen)
                .extracting(p -> p.get("guid"))
                .containsExactlyElementsOf(
                        all.subList(30, 60).stream().map(p -> p.get("guid")).toList());
        // Asking for more than the span still shows nothing outside it.
        assertThat(allPages(backup, "&since=2000-01-01&until=2100-01-01")).hasSize(30);
        given().auth().oauth2(backup).get("/migration/v1/account").then().body("counts.posts", equalTo(30));
        assertThat(allPages(annToken, "&since=" + from + "&until=" + until)).hasSize(30);
    }

    @Test
    void conditionalRequestsAnswerNotModified() {
        int snapshot = given().auth()
                .oauth2(annToken)
                .get("/migration/v1/account")
                .then()
                .extract()
                .path("snapshot");
        String page = "/migration/v1/posts?limit=5&snapshot=" + snapshot;
        var first =
                given().auth().oauth2(annToken).get(page).then().statusCode(200).extract();
        String etag = first.header("ETag");
        given().auth()
                .oauth2(annToken)
                .header("If-None-Match", etag)
                .get(page)
                .then()
                .statusCode(304)
                .header("ETag", etag);
        String next = ((String) first.path("next")).replace(BASE, "");
        var second =
                given().auth().oauth2(annToken).get(next).then().statusCode(200).extract();
        assertThat(second.header("ETag")).isNotEqualTo(etag);
        given().auth()
                .oauth2(annToken)
                .header("If-None-Match", second.header("ETag"))
                .get(next)
                .then()
                .statusCode(304);
    }

    @Test
    void malformedRequestsAndMissingRightsAreRefused() throws Throwable {
        given().get("/migration/v1/posts").then().statusCode(401);
        String openid = token(otherApp, "exp_bob", "openid", null, null);
        given().auth()
                .oauth2(openid)
                .get("/migration/v1/posts")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?cursor=bm9wZQ")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("invalid-cursor"));
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?limit=0")
                .then()
                .statusCode(400)
                .body("type", containsString("invalid-limit"));
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?limit=1001")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?since=yesterday")
                .then()
                .statusCode(400)
                .body("type", containsString("invalid-time"));
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?since=2024-02-01&until=2024-01-01")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?whatever=1")
                .then()
                .statusCode(200);
        given().auth().oauth2(annToken).get("/migration/v1/nothing-here").then().statusCode(404);
    }

    @Test
    void aClientOverItsShareIsToldWhenToComeBack() throws Throwable {
        Registration greedy = fixture.register("Greedy client", "client_secret_basic");
        String token = fixture.accessToken(greedy, "exp_bob", "migration:read", null, null);
        // The refill clock stopped: the whole burst goes through, the request after it is refused.
        StoppedClock.install();
        for (int sent = 0; sent < config.migration().burst(); sent++) {
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/posts?limit=1")
                    .then()
                    .statusCode(200);
        }
        given().auth()
                .oauth2(token)
                .get("/migration/v1/posts?limit=1")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("1"))
                .body("type", containsString("too-many-requests"));
        given().auth()
                .oauth2(annToken)
                .get("/migration/v1/posts?limit=1")
                .then()
                .statusCode(200);
    }
}
