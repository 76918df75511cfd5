package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.response.Response;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodDigest;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * The offline move between two pods running as processes: pod A writes Dora's archive, then A stops for good; pod
 * B takes the archive, uploaded in parts over HTTP, and Dora's account arrives there whole (the same digest of
 * everything that moves), its old identity proven by the archive's signature alone.
 */
class DeadPodArchiveIT {

    static final String ARCHIVE_PASSWORD = "a long archive passphrase 12";

    static PodProcess podA;
    static PodProcess podB;

    @BeforeAll
    static void startPods() throws Exception {
        podA = PodProcess.start("dead-pod-a");
        podB = PodProcess.start("dead-pod-b");
    }

    @AfterAll
    static void stopPods() throws Exception {
        if (podA != null) {
            podA.close();
        }
        if (podB != null) {
            podB.close();
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
        String session = a.logIn("dora");
        String id = a.as(session)
                .body(Map.of("password", ARCHIVE_PASSWORD, "photos", "included", "accountPassword", PodApi.PASSWORD))
                .post("/api/v1/archives")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Until.seen(
                "Dora's archive written on A",
                () -> a.as(session)
                        .get("/api/v1/archives/" + id)
                        .then()
                        .extract()
                        .path("state"),
                "READY"::equals,
                "FAILED"::equals);
        byte[] archive = a.as(session)
                .accept("application/x-tar")
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
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
        b.request()
                .queryParam("resource", "acct:dora@" + podB.host())
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", hasItem("acct:dora@" + podA.host()));
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM archive_uploads"))
                .containsExactly("0");
    }
}
