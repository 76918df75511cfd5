package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.pod.database.EmbeddedDatabase;
import org.transplant.testing.OAuthConsent;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.TempFolders;

/**
 * Two pods from the packaged jar, side by side, each on its own port and data folder: pod A on its own embedded
 * PostgreSQL, pod B on an existing server given by the standard datasource settings. They keep their accounts
 * apart, and what a pod holds survives a clean restart and a SIGKILL.
 */
class TwoPodsIT {

    private static final int POSTS = 5_500;

    static PodProcess podA;
    static PodProcess podB;
    static EmbeddedDatabase externalServer;
    static Path externalServerDir;

    @BeforeAll
    static void startPods() throws Exception {
        podA = PodProcess.start("two-pods-a");
        externalServerDir = Files.createTempDirectory("transplant-external-db-");
        externalServer = EmbeddedDatabase.startIn(externalServerDir);
        Map<String, String> db = externalServer.settings();
        podB = PodProcess.start(
                "two-pods-b",
                Map.of(
                        "QUARKUS_DATASOURCE_REACTIVE_URL", db.get("quarkus.datasource.reactive.url"),
                        "QUARKUS_DATASOURCE_JDBC_URL", db.get("quarkus.datasource.jdbc.url"),
                        "QUARKUS_DATASOURCE_USERNAME", db.get("quarkus.datasource.username"),
                        "QUARKUS_DATASOURCE_PASSWORD", db.get("quarkus.datasource.password")));
    }

    @AfterAll
    static void stopPods() throws Exception {
        if (podA != null) {
            podA.close();
        }
        if (podB != null) {
            podB.close();
        }
        if (externalServer != null) {
            externalServer.close();
        }
        TempFolders.delete(externalServerDir);
    }

    @Test
    void podsRunSideBySideAndKeepTheirDataAcrossRestarts() throws Exception {
        PodApi a = PodApi.of(podA);
        PodApi b = PodApi.of(podB);
        a.createAccount("alice");
        b.createAccount("bob");
        String alice = a.logIn("alice");
        String guid = a.as(alice)
                .body(Map.of("text", "Written on pod A"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");

        a.request()
                .get("/.well-known/webfinger?resource=acct:alice@" + podA.host())
                .then()
                .statusCode(200)
                .body("subject", equalTo("acct:alice@" + podA.host()));
        b.request()
                .get("/.well-known/webfinger?resource=acct:alice@" + podB.host())
                .then()
                .statusCode(404);
        b.request().get("/posts/" + guid).then().statusCode(404);
        assertThat(podA.dataDir().resolve("postgres/PG_VERSION")).exists();
        assertThat(podB.dataDir().resolve("postgres")).doesNotExist();
        assertThat(usernamesOnExternalServer()).containsExactly("bob");

        // Enough for several pages of every size read below; the 100k-post account is bench/'s (fill-and-read.sh,
        // export.sh): no check here needs that size, and figures are not tests.
        a.admin()
                .body(Map.of(
                        "posts",
                        POSTS,
                        "commentsPerPost",
                        3,
                        "likesPerPost",
                        5,
                        "photos",
                        10,
                        "photoBytes",
                        50_000,
                        "contacts",
                        500,
                        "conversations",
                        10,
                        "messagesPerConversation",
                        5,
                        "seed",
                        1))
                .post("/admin/v1/accounts/alice/synthetic-content")
                .then()
                .statusCode(200)
                .body("posts", equalTo(POSTS))
                .body("comments", equalTo(POSTS * 3))
                .body("likes", equalTo(POSTS * 5));
        assertLocalPosts(a, POSTS + 1);
        String deep = a.as(alice)
                .get("/api/v1/posts?limit=100")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(100))
                .extract()
                .path("next");
        a.as(alice)
                .get("/api/v1/posts?limit=100&cursor=" + deep)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(100));
        a.request().get("/u/alice").then().statusCode(200).body(containsString("rel=\"next\""));
        exportMatchesWhatThePodHolds(a);

        podA.restart();
        assertLocalPosts(a, POSTS + 1);
        a.request().get("/posts/" + guid).then().statusCode(200).body(containsString("Written on pod A"));
        a.as(alice).get("/api/v1/posts").then().statusCode(200).body("items[0].guid", equalTo(guid));

        podA.killAndRestart();
        assertLocalPosts(a, POSTS + 1);
        a.as(alice).get("/api/v1/posts").then().statusCode(200);
        String again = a.logIn("alice");
        a.as(again).get("/api/v1/posts/" + guid).then().statusCode(200).body("text", equalTo("Written on pod A"));
        b.request().get("/u/bob").then().statusCode(200);

        for (Path log : List.of(podA.log(), podB.log())) {
            assertThat(Files.readString(log)).doesNotContain(PodApi.PASSWORD).doesNotContain("PRIVATE KEY");
        }
    }

    /**
     * The whole account (more than five pages of the largest size) through the Migration API, page by page and as
     * one NDJSON stream: both carry exactly the posts (guid, time, comment and like totals) and contacts the pod's
     * database holds.
     */
    private static void exportMatchesWhatThePodHolds(PodApi a) throws Exception {
        String token = OAuthConsent.accessToken(a, "alice", "migration:read");
        List<String> paged = new ArrayList<>();
        String url = "/migration/v1/posts?limit=1000";
        while (url != null) {
            JsonNode page = JSON.readTree(a.request()
                    .auth()
                    .oauth2(token)
                    .get(url)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asByteArray());
            page.get("items").forEach(p -> paged.add(postLine(p)));
            url = page.hasNonNull("next")
                    ? page.get("next").asText().substring(podA.baseUrl().length())
                    : null;
        }
        List<String> streamed = a.request()
                .auth()
                .oauth2(token)
                .accept("application/x-ndjson")
                .get("/migration/v1/posts")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .map(line -> postLine(read(line)))
                .toList();
        List<String> held = PodDatabase.query(
                podA,
                "SELECT p.guid, (extract(epoch FROM p.created_at) * 1000000)::bigint,"
                        + " (SELECT count(*) FROM comments c WHERE c.post_id = p.id),"
                        + " (SELECT count(*) FROM likes l WHERE l.post_id = p.id)"
                        + " FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'alice'"
                        + " ORDER BY p.created_at, p.guid");
        assertThat(held).hasSize(POSTS + 1);
        assertThat(PodDatabase.digest(paged)).isEqualTo(PodDatabase.digest(held));
        assertThat(PodDatabase.digest(streamed)).isEqualTo(PodDatabase.digest(held));

        String alice = " JOIN accounts a ON a.id = x.account_id WHERE a.username = 'alice'";
        assertThat(PodDatabase.digest(streamed(
                        a,
                        token,
                        "contacts",
                        c -> c.get("handle").asText() + "|"
                                + c.get("following").asBoolean() + "|"
                                + c.get("follower").asBoolean() + "|"
                                + c.get("blocked").asBoolean())))
                .isEqualTo(PodDatabase.digest(PodDatabase.query(
                        podA,
                        "SELECT x.handle, x.following, x.follower, x.blocked FROM contacts x" + alice
                                + " ORDER BY x.created_at, x.handle")));
        assertThat(PodDatabase.digest(streamed(
                        a,
                        token,
                        "photos",
                        p -> p.get("guid").asText() + "|" + p.get("sha256").asText() + "|"
                                + p.get("size").asLong())))
                .isEqualTo(PodDatabase.digest(PodDatabase.query(
                        podA,
                        "SELECT x.guid, x.sha256, x.size_bytes FROM photos x" + alice
                                + " ORDER BY x.created_at, x.guid")));
        assertThat(PodDatabase.digest(streamed(
                        a,
                        token,
                        "conversations",
                        c -> c.get("guid").asText() + "|" + c.get("messages").size())))
                .isEqualTo(PodDatabase.digest(PodDatabase.query(
                        podA,
                        "SELECT c.guid, (SELECT count(*) FROM messages m"
                                + " WHERE m.conversation_id = c.id) FROM conversations c JOIN conversation_participants x"
                                + " ON x.conversation_id = c.id" + alice + " ORDER BY c.created_at, c.guid")));
        assertThat(PodDatabase.digest(
                        streamed(a, token, "tag-followings", t -> t.get("tag").asText())))
                .isEqualTo(PodDatabase.digest(PodDatabase.query(
                        podA, "SELECT x.tag FROM tag_followings x" + alice + " ORDER BY x.created_at, x.tag")));
    }

    /** A whole collection as NDJSON, each item reduced to one line. */
    private static List<String> streamed(PodApi pod, String token, String collection, Function<JsonNode, String> line) {
        return pod.request()
                .auth()
                .oauth2(token)
                .accept("application/x-ndjson")
                .get("/migration/v1/" + collection)
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .map(l -> line.apply(read(l)))
                .toList();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String postLine(JsonNode post) {
        Instant created = Instant.parse(post.get("createdAt").asText());
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, created);
        return post.get("guid").asText() + "|" + micros + "|"
                + post.get("commentCount").asLong() + "|"
                + post.get("likeCount").asLong();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of the pod's own embedded PostgreSQL (its port is in postmaster.pid), each as "a|b|c". */
    private static void assertLocalPosts(PodApi pod, int expected) {
        pod.request().get("/nodeinfo/2.1").then().statusCode(200).body("usage.localPosts", equalTo(expected));
    }

    private static List<String> usernamesOnExternalServer() throws Exception {
        Map<String, String> db = externalServer.settings();
        try (Connection connection = DriverManager.getConnection(
                        db.get("quarkus.datasource.jdbc.url"),
                        db.get("quarkus.datasource.username"),
                        db.get("quarkus.datasource.password"));
                ResultSet rows = connection.createStatement().executeQuery("SELECT username FROM accounts")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
