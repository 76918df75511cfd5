package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodArchives;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodDigest;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * The offline move between pods running as processes: pod A writes Dora's archive, then A stops for good; pod B
 * takes the archive, uploaded in parts over HTTP, and Dora's account arrives there whole (the same digest of
 * everything that moves), its old identity proven by the archive's signature alone. B tells the pods of her contacts
 * in A's stead, with a notice signed by her old key: on pod C, Carl, who followed her, follows her new identity.
 */
class DeadPodArchiveIT {

    static final String ARCHIVE_PASSWORD = "a long archive passphrase 12";

    static PodProcess podA;
    static PodProcess podB;
    static PodProcess podC;

    @BeforeAll
    static void startPods() throws Exception {
        // Short waits between delivery attempts: B's first may come before C can confirm the new identity.
        Map<String, String> fast = Map.of("TRANSPLANT_FEDERATION_MAX_BACKOFF", "PT2S");
        podA = PodProcess.start("dead-pod-a", fast);
        podB = PodProcess.start("dead-pod-b", fast);
        podC = PodProcess.start("dead-pod-c", fast);
    }

    @AfterAll
    static void stopPods() throws Exception {
        if (podA != null) {
            podA.close();
        }
        if (podB != null) {
            podB.close();
        }
        if (podC != null) {
            podC.close();
        }
    }

    @Test
    void anArchiveOfAPodThatDiedBecomesTheAccountOnAnother() throws Exception {
        PodApi a = PodApi.of(podA);
        PodApi b = PodApi.of(podB);
        a.createAccount("dora");
        a.admin()
                .body(Map.of(
                        "posts", 300,
                        "commentsPerPost", 3,
                        "likesPerPost", 4,
                        "photos", 6,
                        "photoBytes", 40_000,
                        "contacts", 30,
                        "conversations", 3,
                        "messagesPerConversation", 5,
                        "seed", 17))
                .post("/admin/v1/accounts/dora/synthetic-content")
                .then()
                .statusCode(200);
        // Carl on C follows her while A lives, and so learns her key; A knows him as her follower.
        PodApi c = PodApi.of(podC);
        String dora = "dora@" + podA.host();
        String carl = "carl@" + podC.host();
        c.createAccount("carl");
        c.as(c.logIn("carl"))
                .body(Map.of("handle", dora))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        awaitRows(podC, "SELECT count(*) FROM person_keys WHERE handle = '" + dora + "'", "1");
        PodDatabase.update(
                podA,
                "INSERT INTO contacts (account_id, handle, follower, seq) SELECT id, '" + carl
                        + "', true, 1 FROM accounts WHERE username = 'dora'");
        String session = a.logIn("dora");
        byte[] archive = PodArchives.downloaded(a, session, ARCHIVE_PASSWORD);
        PodDigest before = PodDigest.ofWhatMoves(podA, "dora", "dora@" + podA.host());
        before.assertNoneEmpty();

        podA.stop();

        String upload = b.request()
                .contentType("application/json")
                .body(Map.of("bytes", archive.length))
                .post("/api/v1/archive-uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        int part = 64 * 1024;
        for (int first = 0; first < archive.length; first += part) {
            int end = Math.min(archive.length, first + part);
            b.request()
                    .contentType("application/octet-stream")
                    .header("Content-Range", "bytes " + first + "-" + (end - 1) + "/" + archive.length)
                    .body(Arrays.copyOfRange(archive, first, end))
                    .put("/api/v1/archive-uploads/" + upload)
                    .then()
                    .statusCode(200);
        }
        Response started = b.request()
                .multiPart("upload", upload)
                .multiPart("archivePassword", ARCHIVE_PASSWORD)
                .multiPart("username", "dora")
                .multiPart("email", "dora@example.org")
                .multiPart("password", PodApi.PASSWORD)
                .post("/api/v1/imports");
        started.then().statusCode(201);
        String job = started.path("id");
        String onB = started.getCookie("transplant_session");

        Until.seen(
                "Dora's import on B done",
                () -> b.as(onB).get("/api/v1/imports/" + job).then().extract().path("state"),
                "DONE"::equals,
                "FAILED"::equals);
        PodDigest.ofWhatMoves(podB, "dora", "dora@" + podB.host()).assertSameAs(before);
        // B asked A to close the old account; A is dead, so Dora is told to close it by hand.
        b.as(onB)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.state", org.hamcrest.Matchers.is("not_closed"))
                .body("oldAccount.reason", org.hamcrest.Matchers.is("unreachable"));
        b.request()
                .queryParam("resource", "acct:dora@" + podB.host())
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", hasItem("acct:dora@" + podA.host()));
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM archive_uploads"))
                .containsExactly("0");

        // A is dead; B's notice, signed with the old key, re-points Carl.
        String doraOnB = "dora@" + podB.host();
        awaitRows(
                podC,
                "SELECT a.username, c.following FROM contacts c JOIN accounts a ON a.id = c.account_id"
                        + " WHERE c.handle = '" + doraOnB + "'",
                "carl|true");
        assertThat(PodDatabase.query(podC, "SELECT count(*) FROM contacts WHERE handle = '" + dora + "'"))
                .containsExactly("0");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM import_jobs WHERE old_key_sealed IS NOT NULL"))
                .as("the old key is forgotten once the notices are written")
                .containsExactly("0");
    }

    private static void awaitRows(PodProcess pod, String sql, String expected) throws Exception {
        Until.seen(sql + " = " + expected, () -> PodDatabase.query(pod, sql), rows -> rows.equals(List.of(expected)));
    }
}
