package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.BrowserImport;
import org.transplant.testing.Chromium;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * A whole move between two pods running as separate processes: alice fills an account on A, opens B's import page
 * in Chromium, confirms on A's consent screen, and watches the progress until it is done. Then everything she had
 * on A is on B (a digest per collection), A's old links redirect to B, A refuses her new posts, A's WebFinger names
 * the new identity, and both pods mailed her through a real SMTP server. A second move of the moved account is
 * refused; a taken username is refused before anything starts. The move itself is the fixture, made once before
 * the tests, which each check one consequence of it and run in any order.
 */
class ImportIT {

    private static final String ALICE_A = " JOIN accounts a ON a.id = x.account_id WHERE a.username = 'alice'";

    private static GreenMail smtp;
    private static PodProcess podA;
    private static PodProcess podB;
    private static PodApi a;
    private static PodApi b;
    /** Set by the fixture's move, read by the tests: the job, and what B's progress page said at the end. */
    private static String jobId;

    private static String postsProgress;

    @BeforeAll
    static void startPods() throws Exception {
        int smtpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> mail = Map.of(
                "QUARKUS_MAILER_MOCK",
                "false",
                "QUARKUS_MAILER_HOST",
                "127.0.0.1",
                "QUARKUS_MAILER_PORT",
                Integer.toString(smtpPort),
                "TRANSPLANT_IMPORTER_LEASE",
                "PT5S",
                "TRANSPLANT_IMPORTER_PAGE_SIZE",
                "100");
        // Different host names keep the browser's cookies of the two pods apart, as different hosts would.
        podA = PodProcess.start("import-a", "127.0.0.1", mail);
        podB = PodProcess.start("import-b", "localhost", mail);
        a = PodApi.of(podA);
        b = PodApi.of(podB);
        a.createAccount("alice");
        a.admin()
                .body(Map.of(
                        "posts",
                        450,
                        "commentsPerPost",
                        3,
                        "likesPerPost",
                        5,
                        "photos",
                        7,
                        "photoBytes",
                        30000,
                        "contacts",
                        60,
                        "conversations",
                        5,
                        "messagesPerConversation",
                        4,
                        "seed",
                        11))
                .post("/admin/v1/accounts/alice/synthetic-content")
                .then()
                .statusCode(200);
        // One post with more comments than a posts page embeds (100): the rest come from its own collection.
        a.createAccount("cora");
        String cora = a.logIn("cora");
        String busy = PodDatabase.query(
                        podA,
                        "SELECT x.guid FROM posts x" + ALICE_A + " AND x.public"
                                + " ORDER BY x.created_at DESC LIMIT 1")
                .get(0);
        for (int i = 0; i < 130; i++) {
            a.request()
                    .cookie("transplant_session", cora)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "comment " + i))
                    .post("/api/v1/posts/" + busy + "/comments")
                    .then()
                    .statusCode(201);
        }
        moveAliceThroughTheBrowser();
    }

    /** alice moves from A to B as a person does: B's sign-up page, A's log-in and consent, B's progress page. */
    private static void moveAliceThroughTheBrowser() throws Exception {
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/signup");
            page.click("a[href='/import']");
            BrowserImport.confirm(
                    page,
                    "alice@" + podA.host(),
                    "alice",
                    "alice@example.org",
                    "copy",
                    url -> url.startsWith(podA.baseUrl() + "/login"),
                    "alice");
            page.waitForURL(url -> url.startsWith(podB.baseUrl() + "/import/"));
            jobId = page.getAttribute("#import", "data-id");
            Until.seen(
                    "alice's import on B",
                    () -> PodDatabase.query(
                            podB, "SELECT state, error FROM import_jobs" + " WHERE id = '" + jobId + "'"),
                    rows -> rows.equals(List.of("DONE|null")),
                    rows -> rows.toString().contains("FAILED"));
            page.waitForSelector(
                    "#import[data-state=DONE]",
                    new Page.WaitForSelectorOptions().setTimeout(Until.PATIENCE.toMillis()));
            postsProgress = page.textContent("tr[data-collection=posts] .count");
        }
    }

    @AfterAll
    static void stopPods() throws Exception {
        if (podB != null) {
            podB.close();
        }
        if (podA != null) {
            podA.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aTakenUsernameIsRefusedBeforeAnythingStarts() throws Exception {
        b.createAccount("taken");
        String registeredPods =
                PodDatabase.query(podB, "SELECT count(*) FROM remote_pods").get(0);
        // A pod no one has registered with, which no call could reach: only a refusal before any call is a 409.
        b.request()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "handle",
                        "alice@127.0.0.1:1",
                        "username",
                        "taken",
                        "password",
                        PodApi.PASSWORD,
                        "email",
                        "t@example.org"))
                .post("/api/v1/imports")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("username-taken"));
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT count(*) FROM import_jobs j JOIN accounts a ON a.id = j.account_id"
                                + " WHERE a.username = 'taken'"))
                .containsExactly("0");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM remote_pods")).containsExactly(registeredPods);
    }

    @Test
    void aPersonMovesTheirAccountThroughTheBrowser() throws Exception {
        assertThat(postsProgress).isEqualTo("450 of 450");
        assertThat(PodDatabase.query(podB, "SELECT state FROM import_jobs WHERE id = '" + jobId + "'"))
                .containsExactly("DONE");
    }

    @Test
    void everyCollectionArrivedWhole() throws Exception {
        String aliceB = " JOIN accounts a ON a.id = x.account_id WHERE a.username = 'alice'";
        String posts = "SELECT x.guid, x.text, x.public, (extract(epoch FROM x.created_at) * 1000000)::bigint,"
                + " (SELECT string_agg(c.guid || c.text, ',' ORDER BY c.guid) FROM comments c WHERE c.post_id = x.id),"
                + " (SELECT string_agg(l.guid, ',' ORDER BY l.guid) FROM likes l WHERE l.post_id = x.id),"
                + " (SELECT string_agg(ph.guid || ph.sha256, ',' ORDER BY ph.guid) FROM photos ph"
                + "  WHERE ph.post_id = x.id) FROM posts x";
        assertSame(posts + ALICE_A + " ORDER BY x.guid", posts + aliceB + " ORDER BY x.guid", 450);
        assertSame(
                "SELECT x.handle, x.following, x.follower, x.blocked, x.public_key_pem FROM contacts x" + ALICE_A
                        + " ORDER BY x.handle",
                "SELECT x.handle, x.following, x.follower, x.blocked, x.public_key_pem" + " FROM contacts x" + aliceB
                        + " ORDER BY x.handle",
                60);
        assertSame(
                "SELECT x.guid, x.sha256, x.size_bytes FROM photos x" + ALICE_A + " ORDER BY x.guid",
                "SELECT x.guid, x.sha256, x.size_bytes FROM photos x" + aliceB + " ORDER BY x.guid",
                7);
        String conversations = "SELECT c.guid, c.subject, (SELECT string_agg(m.guid || m.text, ',' ORDER BY m.guid)"
                + " FROM messages m WHERE m.conversation_id = c.id) FROM conversations c"
                + " JOIN conversation_participants x ON x.conversation_id = c.id";
        assertSame(conversations + ALICE_A + " ORDER BY c.guid", conversations + aliceB + " ORDER BY c.guid", 5);
        assertSame(
                "SELECT x.tag FROM tag_followings x" + ALICE_A + " ORDER BY x.tag",
                "SELECT x.tag FROM tag_followings x" + aliceB + " ORDER BY x.tag",
                10);
        assertSame(
                "SELECT p.first_name, p.last_name, p.bio FROM profiles p JOIN accounts a ON a.id = p.account_id"
                        + " WHERE a.username = 'alice'",
                "SELECT p.first_name, p.last_name, p.bio FROM profiles p"
                        + " JOIN accounts a ON a.id = p.account_id WHERE a.username = 'alice'",
                1);
        // The photo bytes themselves: B serves what A served.
        String photo = PodDatabase.query(podA, "SELECT x.guid FROM photos x" + ALICE_A + " LIMIT 1")
                .get(0);
        // As alice, who sees her photos whatever their posts' audience.
        byte[] onB = b.request()
                .cookie("transplant_session", b.logIn("alice"))
                .get("/photos/" + photo)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        String sha = PodDatabase.query(podA, "SELECT x.sha256 FROM photos x WHERE x.guid = '" + photo + "'")
                .get(0);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onB)))
                .isEqualTo(sha);
        b.request().get("/api/v1/imports/" + jobId).then().statusCode(401);
    }

    @Test
    void theOldPodSendsVisitorsToTheNewOneAndTakesNoNewContent() throws Exception {
        String post = PodDatabase.query(podA, "SELECT x.guid FROM posts x" + ALICE_A + " AND x.public LIMIT 1")
                .get(0);
        a.request()
                .redirects()
                .follow(false)
                .get("/posts/" + post)
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/posts/" + post);
        b.request().get("/posts/" + post).then().statusCode(200);
        a.request()
                .redirects()
                .follow(false)
                .get("/u/alice")
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/u/alice");
        String photo = PodDatabase.query(podA, "SELECT x.guid FROM photos x" + ALICE_A + " LIMIT 1")
                .get(0);
        a.request()
                .redirects()
                .follow(false)
                .get("/photos/" + photo)
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/photos/" + photo);

        a.createAccount("bob");
        String bob = a.logIn("bob");
        a.request()
                .cookie("transplant_session", bob)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "hi"))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(410)
                .header("Location", podB.baseUrl() + "/posts/" + post);
        String alice = a.logIn("alice");
        a.request()
                .cookie("transplant_session", alice)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "still here?", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(409)
                .body("type", containsString("account-moved"))
                .body("detail", containsString(podB.host()));

        // The old-to-new map, the FEP-1580 way: every public post once, each pointing at its new copy.
        long publicPosts =
                Long.parseLong(PodDatabase.query(podA, "SELECT count(*) FROM posts x" + ALICE_A + " AND x.public")
                        .get(0));
        String url = "/u/alice/migration";
        Set<String> origins = new HashSet<>();
        while (url != null) {
            JsonPath page = a.request()
                    .accept("application/activity+json")
                    .get(url)
                    .then()
                    .statusCode(200)
                    .body("migrationComplete", equalTo(true))
                    .extract()
                    .jsonPath();
            assertThat(page.getLong("totalItems")).isEqualTo(publicPosts);
            for (Map<String, String> move : page.<Map<String, String>>getList("orderedItems")) {
                String guid = move.get("origin").substring(move.get("origin").lastIndexOf('/') + 1);
                assertThat(move.get("type")).isEqualTo("Move");
                assertThat(move.get("target")).isEqualTo(podB.baseUrl() + "/posts/" + guid);
                origins.add(move.get("origin"));
            }
            String next = page.getString("next");
            url = next == null ? null : next.substring(next.indexOf("/u/"));
        }
        assertThat(origins).hasSize((int) publicPosts);
        a.request().get("/u/bob/migration").then().statusCode(404);

        a.request()
                .queryParam("resource", "acct:alice@" + podA.host())
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", hasItem("acct:alice@" + podB.host()));
        // The move ended every token issued before it (a later, refused second move may hold its own).
        assertThat(PodDatabase.query(
                        podA,
                        "SELECT count(*) FROM oidc_tokens t JOIN oidc_grants g ON g.id = t.grant_id"
                                + " JOIN accounts a ON a.id = g.account_id WHERE a.username = 'alice' AND t.revoked_at IS NULL"
                                + " AND t.created_at <= a.moved_at"))
                .containsExactly("0");
    }

    @Test
    void bothPodsMailedThePerson() throws Exception {
        List<String> subjects = mailSubjects("alice@example.org", 2);
        assertThat(subjects).anyMatch(s -> s.equals("Your account moved to alice@" + podB.host()));
        assertThat(subjects).anyMatch(s -> s.equals("Your move to alice@" + podB.host() + " is done"));
    }

    @Test
    void aSecondMoveOfTheMovedAccountIsRefused() throws Exception {
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/import");
            BrowserImport.confirm(
                    page,
                    "alice@" + podA.host(),
                    "alice2",
                    "alice2@example.org",
                    "copy",
                    url -> url.startsWith(podA.baseUrl() + "/login"),
                    "alice");
            Until.seen(
                    "alice2's import on B",
                    () -> PodDatabase.query(
                            podB,
                            "SELECT j.state FROM import_jobs j"
                                    + " JOIN accounts a ON a.id = j.account_id WHERE a.username = 'alice2'"),
                    rows -> rows.equals(List.of("FAILED")),
                    rows -> rows.equals(List.of("DONE")));
            page.waitForSelector(
                    "#import[data-state=FAILED]",
                    new Page.WaitForSelectorOptions().setTimeout(Until.PATIENCE.toMillis()));
            assertThat(page.textContent("#import-status")).contains("already moved");
        }
        assertThat(mailSubjects("alice2@example.org", 1))
                .containsExactly("Your move was refused: the account already moved");
        // The first move stands.
        a.request()
                .redirects()
                .follow(false)
                .get("/u/alice")
                .then()
                .statusCode(301)
                .header("Location", podB.baseUrl() + "/u/alice");
    }

    private static void assertSame(String onA, String onB, int expectedRows) throws Exception {
        List<String> held = PodDatabase.query(podA, onA);
        List<String> copied = PodDatabase.query(podB, onB.replace("alice@" + podA.host(), "alice@" + podB.host()));
        assertThat(held).as(onA).hasSize(expectedRows);
        assertThat(PodDatabase.digest(copied)).as(onB).isEqualTo(PodDatabase.digest(held));
    }

    /** Until {@code to} has at least {@code atLeast} mails; their subjects. */
    private static List<String> mailSubjects(String to, int atLeast) throws Exception {
        return Until.seen(
                "mail to " + to,
                () -> Arrays.stream(smtp.getReceivedMessages())
                        .filter(m -> recipient(m).equals(to))
                        .map(ImportIT::subject)
                        .toList(),
                subjects -> subjects.size() >= atLeast);
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (Exception e) {
            return "";
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
