package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.pod.database.EmbeddedDatabase;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodProcess;

/**
 * Two pods from the packaged jar, side by side, each on its own port and data folder: pod A on its own embedded
 * PostgreSQL, pod B on an existing server given by the standard datasource settings. They keep their accounts
 * apart, and what a pod holds survives a clean restart and a SIGKILL.
 */
class TwoPodsIT {

    static PodProcess podA;
    static PodProcess podB;
    static EmbeddedDatabase externalServer;

    @BeforeAll
    static void startPods() throws Exception {
        podA = PodProcess.start("two-pods-a");
        externalServer = EmbeddedDatabase.start(Files.createTempDirectory("transplant-external-db-"));
        Map<String, String> db = externalServer.settings();
        podB = PodProcess.start("two-pods-b", Map.of(
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
    }

    @Test
    void podsRunSideBySideAndKeepTheirDataAcrossRestarts() throws Exception {
        PodApi a = PodApi.of(podA);
        PodApi b = PodApi.of(podB);
        a.createAccount("alice");
        b.createAccount("bob");
        String alice = a.logIn("alice");
        String guid = a.as(alice).body(Map.of("text", "Written on pod A")).post("/api/v1/posts")
                .then().statusCode(201).extract().path("guid");

        a.request().get("/.well-known/webfinger?resource=acct:alice@" + podA.host()).then().statusCode(200)
                .body("subject", equalTo("acct:alice@" + podA.host()));
        b.request().get("/.well-known/webfinger?resource=acct:alice@" + podB.host()).then().statusCode(404);
        b.request().get("/posts/" + guid).then().statusCode(404);
        assertThat(podA.dataDir().resolve("postgres/PG_VERSION")).exists();
        assertThat(podB.dataDir().resolve("postgres")).doesNotExist();
        assertThat(usernamesOnExternalServer()).containsExactly("bob");

        long started = System.nanoTime();
        a.admin().body(Map.of("posts", 100_000, "commentsPerPost", 3, "likesPerPost", 5, "photos", 10,
                "photoBytes", 50_000, "contacts", 500, "conversations", 10, "messagesPerConversation", 5, "seed", 1))
                .post("/admin/v1/accounts/alice/synthetic-content").then().statusCode(200)
                .body("posts", equalTo(100_000)).body("comments", equalTo(300_000)).body("likes", equalTo(500_000));
        System.out.printf("synthetic content: 100k posts, 300k comments, 500k likes in %.1f s%n",
                (System.nanoTime() - started) / 1e9);
        assertLocalPosts(a, 100_001);
        String deep = a.as(alice).get("/api/v1/posts?limit=100").then().statusCode(200)
                .body("items.size()", equalTo(100)).extract().path("next");
        a.as(alice).get("/api/v1/posts?limit=100&cursor=" + deep).then().statusCode(200)
                .body("items.size()", equalTo(100));
        a.request().get("/u/alice").then().statusCode(200).body(containsString("rel=\"next\""));

        podA.restart();
        assertLocalPosts(a, 100_001);
        a.request().get("/posts/" + guid).then().statusCode(200).body(containsString("Written on pod A"));
        a.as(alice).get("/api/v1/posts").then().statusCode(200).body("items[0].guid", equalTo(guid));

        podA.killAndRestart();
        assertLocalPosts(a, 100_001);
        a.as(alice).get("/api/v1/posts").then().statusCode(200);
        String again = a.logIn("alice");
        a.as(again).get("/api/v1/posts/" + guid).then().statusCode(200).body("text", equalTo("Written on pod A"));
        b.request().get("/u/bob").then().statusCode(200);

        for (Path log : List.of(podA.log(), podB.log())) {
            assertThat(Files.readString(log)).doesNotContain(PodApi.PASSWORD).doesNotContain("PRIVATE KEY");
        }
    }

    private static void assertLocalPosts(PodApi pod, int expected) {
        pod.request().get("/nodeinfo/2.1").then().statusCode(200).body("usage.localPosts", equalTo(expected));
    }

    private static List<String> usernamesOnExternalServer() throws Exception {
        Map<String, String> db = externalServer.settings();
        try (Connection connection = DriverManager.getConnection(db.get("quarkus.datasource.jdbc.url"),
                db.get("quarkus.datasource.username"), db.get("quarkus.datasource.password"));
                ResultSet rows = connection.createStatement().executeQuery("SELECT username FROM accounts")) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
