package org.transplant.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.Chromium;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodArchives;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * The archive's move when the old pod lives, between pods running as processes: Dora's archive from A is imported
 * on B while she wrote once more on A after it, so B's revocation (signed with her old key) finds newer changes and
 * A closes nothing; once she chooses to close it anyway, A verifies the revocation with her account's key, closes
 * the account and sends her old post URLs to B. Eve, in the same spot, chooses in the browser to bring the newer
 * changes first: an online move copies only what changed after her archive, then closes her old account.
 */
class LivePodArchiveIT {

    static final String ARCHIVE_PASSWORD = "a long archive passphrase 13";

    static PodProcess podA;
    static PodProcess podB;

    @BeforeAll
    static void startPods() throws Exception {
        // Two host names, so that the browser keeps the two pods' cookies apart.
        podA = PodProcess.start("live-pod-a", "127.0.0.1", Map.of());
        podB = PodProcess.start("live-pod-b", Map.of());
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
    void theOldPodClosesTheAccountOnceThePersonChoosesToLoseItsNewerChanges() throws Exception {
        PodApi a = PodApi.of(podA);
        PodApi b = PodApi.of(podB);
        a.createAccount("dora");
        a.admin()
                .body(Map.of("posts", 20, "commentsPerPost", 1, "likesPerPost", 1, "contacts", 3, "seed", 5))
                .post("/admin/v1/accounts/dora/synthetic-content")
                .then()
                .statusCode(200);
        String session = a.logIn("dora");
        byte[] archive = PodArchives.downloaded(a, session, ARCHIVE_PASSWORD);
        String archived = PodDatabase.query(
                        podA,
                        "SELECT p.guid FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'dora'"
                                + " ORDER BY p.id LIMIT 1")
                .get(0);
        // Written after the archive: closing the account would lose it.
        a.as(session)
                .body(Map.of("text", "written after the archive", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201);

        Imported imported = imported(b, archive, "dora");
        String job = imported.job();
        String onB = imported.session();

        b.as(onB)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.state", is("newer_changes"))
                .body("oldAccount.choosing", is(true));
        assertThat(state(podA))
                .as("nothing is closed over changes the person did not choose to lose")
                .containsExactly("ACTIVE");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM move_notices"))
                .as("and no one is told she moved while she chooses")
                .containsExactly("0");
        given().redirects()
                .follow(false)
                .get(podA.baseUrl() + "/posts/" + archived)
                .then()
                .statusCode(200);

        b.as(onB)
                .body(Map.of("close", true))
                .post("/api/v1/imports/" + job + "/old-account")
                .then()
                .statusCode(200)
                .body("oldAccount.state", is("closed"))
                .body("oldAccount.choosing", is(false));
        assertThat(state(podA)).containsExactly("MOVED|dora@" + podB.host());
        assertThat(PodDatabase.query(podB, "SELECT old_handle FROM move_notices"))
                .as("once closed, her contacts' pods are told")
                .containsExactly("dora@" + podA.host());
        given().redirects()
                .follow(false)
                .get(podA.baseUrl() + "/posts/" + archived)
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/posts/" + archived);
        given().redirects()
                .follow(false)
                .get(podA.baseUrl() + "/u/dora")
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/u/dora");
        // Chosen once: the revocation is forgotten, and a second choice is refused.
        b.as(onB)
                .contentType(ContentType.JSON)
                .body(Map.of("close", false))
                .post("/api/v1/imports/" + job + "/old-account")
                .then()
                .statusCode(409);
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM import_jobs WHERE old_key_sealed IS NOT NULL"))
                .containsExactly("0");
    }

    @Test
    void theNewerChangesComeThroughAnOnlineMoveThatThenClosesTheOldAccount() throws Exception {
        PodApi a = PodApi.of(podA);
        PodApi b = PodApi.of(podB);
        a.createAccount("eve");
        a.admin()
                .body(Map.of("posts", 10, "commentsPerPost", 1, "likesPerPost", 1, "contacts", 2, "seed", 6))
                .post("/admin/v1/accounts/eve/synthetic-content")
                .then()
                .statusCode(200);
        String session = a.logIn("eve");
        byte[] archive = PodArchives.downloaded(a, session, ARCHIVE_PASSWORD);
        String newer = a.as(session)
                .body(Map.of("text", "eve wrote this after her archive", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        long postsOnA = Long.parseLong(PodDatabase.query(
                        podA,
                        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'eve'")
                .get(0));

        Imported imported = imported(b, archive, "eve");
        String job = imported.job();
        String onB = imported.session();

        String moveJob;
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            context.addCookies(List.of(new Cookie("transplant_session", onB).setUrl(podB.baseUrl())));
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/import/" + job);
            page.click("#bring-newer-changes");
            page.waitForURL(url -> url.startsWith(podA.baseUrl() + "/login"));
            page.fill("input[name=username]", "eve");
            page.fill("input[name=password]", PodApi.PASSWORD);
            page.click("button[type=submit]");
            page.click("button[name=decision][value=allow]");
            page.waitForURL(url -> url.startsWith(podB.baseUrl() + "/import/") && !url.endsWith("/" + job));
            moveJob = page.getAttribute("#import", "data-id");
        }
        Until.seen(
                "the move bringing Eve's newer changes done",
                () -> b.as(onB)
                        .get("/api/v1/imports/" + moveJob)
                        .then()
                        .extract()
                        .path("state"),
                "DONE"::equals,
                "FAILED"::equals);

        assertThat(PodDatabase.query(
                        podB,
                        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'eve'"))
                .as("the archive's posts and the newer one, each once")
                .containsExactly(Long.toString(postsOnA));
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts WHERE guid = '" + newer + "'"))
                .containsExactly("1");
        assertThat(PodDatabase.query(
                        podA, "SELECT state || coalesce('|' || moved_to, '') FROM accounts WHERE username = 'eve'"))
                .containsExactly("MOVED|eve@" + podB.host());
        given().redirects()
                .follow(false)
                .get(podA.baseUrl() + "/posts/" + newer)
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/posts/" + newer);
        b.as(onB)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.state", is("via_online_move"))
                .body("oldAccount.choosing", is(false));
    }

    /** An archive's import on B, done, and the new account's session there. */
    private record Imported(String job, String session) {}

    private static Imported imported(PodApi b, byte[] archive, String username) throws Exception {
        Response started = b.request()
                .multiPart("archive", "archive.tar", archive, "application/x-tar")
                .multiPart("archivePassword", ARCHIVE_PASSWORD)
                .multiPart("username", username)
                .multiPart("email", username + "@example.org")
                .multiPart("password", PodApi.PASSWORD)
                .post("/api/v1/imports");
        started.then().statusCode(201);
        String job = started.path("id");
        String session = started.getCookie("transplant_session");
        Until.seen(
                username + "'s archive import on B done",
                () -> b.as(session)
                        .get("/api/v1/imports/" + job)
                        .then()
                        .extract()
                        .path("state"),
                "DONE"::equals,
                "FAILED"::equals);
        return new Imported(job, session);
    }

    private static List<String> state(PodProcess pod) throws Exception {
        return PodDatabase.query(
                pod, "SELECT state || coalesce('|' || moved_to, '') FROM accounts WHERE username = 'dora'");
    }
}
