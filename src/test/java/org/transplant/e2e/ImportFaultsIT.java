package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.BrowserImport;
import org.transplant.testing.Chromium;
import org.transplant.testing.FaultyProxy;
import org.transplant.testing.FaultyProxy.Fault;
import org.transplant.testing.FaultyProxy.Hold;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * An import that meets trouble: the old pod (behind a proxy that misbehaves on cue) answers 503, drops
 * connections mid-collection and cuts photo transfers off mid-file (they resume with Range), the new pod is killed with SIGKILL mid-import, and the old pod revokes the grant
 * halfway. The job waits and retries, resumes from its last committed page on the restarted pod, asks the person
 * to confirm again, and ends with exactly what the old pod holds, nothing twice.
 */
class ImportFaultsIT {

    private static FaultyProxy proxy;
    private static PodProcess podA;
    private static PodProcess podB;
    private static PodApi a;
    private static final String POSTS = "/migration/v1/posts";

    @BeforeAll
    static void startPods() throws Exception {
        proxy = FaultyProxy.start();
        // A knows itself by the proxy's address, so B and the browser reach it only through the proxy.
        // Access tokens of five seconds: every import here outlives several and goes on with refreshed ones.
        podA = PodProcess.start(
                "faults-a",
                "127.0.0.1",
                Map.of("TRANSPLANT_PUBLIC_URL", proxy.baseUrl(), "TRANSPLANT_OIDC_ACCESS_TOKEN_TTL", "PT5S"));
        proxy.forwardTo(podA.baseUrl());
        podB = PodProcess.start(
                "faults-b",
                "localhost",
                Map.of("TRANSPLANT_IMPORTER_LEASE", "PT3S", "TRANSPLANT_IMPORTER_PAGE_SIZE", "100"));
        a = PodApi.of(podA);
    }

    /** A test that failed before B reached its held page leaves no hold behind for the next one. */
    @AfterEach
    void releaseHolds() {
        proxy.releaseHolds();
        proxy.truncateOnceReceived((path, sent) -> true);
    }

    /** The job whose photo transfers {@link #partHeldByB} looks at. */
    private static volatile String watchedJob = "";

    /**
     * Whether B's part file of the photo at {@code path} ({@code /migration/v1/photos/<guid>/content}) holds the
     * bytes the proxy sent before cutting it off (the file PhotoStore names).
     */
    private static boolean partHeldByB(String path, long sent) {
        String guid = path.split("/")[4];
        return PhotoStore.under(podB.dataDir())
                        .partOf(watchedJob, guid)
                        .toFile()
                        .length()
                >= sent;
    }

    @AfterAll
    static void stopPods() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {podB, podA, proxy}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void failuresOfTheOldPodAndAKilledNewPodLoseAndRepeatNothing() throws Exception {
        fill("dora", 15_000, 15);
        proxy.failNext("/migration/v1/posts", Fault.UNAVAILABLE, 2);
        proxy.failNext("/migration/v1/posts", Fault.RESET, 1);
        proxy.failNext("/migration/v1/photos/", Fault.RESET, 1);
        proxy.failNext("/migration/v1/photos/", Fault.TRUNCATE, 2);
        proxy.truncateOnceReceived(ImportFaultsIT::partHeldByB);
        // B stops at its 31st request for posts (three of those before it are refused), however fast it reads.
        Hold midPosts = proxy.holdAfter(POSTS, 30);
        List<String> grantsBefore = proxy.grantTypes();
        String job;
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "dora");
            job = page.getAttribute("#import", "data-id");
            watchedJob = job;
            awaitHeld(midPosts);
            awaitJob(job, row -> row.startsWith("IMPORTING|posts|") && postsDone(row) >= 2000);
            // Signed in on B meanwhile, dora is told her move is under way.
            Page home = context.newPage();
            home.navigate(podB.baseUrl() + "/");
            assertThat(home.textContent("#moving"))
                    .contains("Your move from dora@")
                    .contains("in progress");
            home.close();
            // The access token B holds runs out while it waits (they last five seconds here): what it asks next
            // needs a refreshed one.
            awaitNoLiveAccessToken("dora");
            podB.killAndRestart();
            midPosts.release();
            awaitJob(job, row -> row.startsWith("DONE|"));
        }
        assertThat(proxy.grantTypes()
                        .subList(grantsBefore.size(), proxy.grantTypes().size()))
                .contains("refresh_token");
        assertThat(proxy.faultsServed()).isEqualTo(6);
        // The photos cut off mid-file went on from where they stopped.
        assertThat(proxy.rangeRequests()).isGreaterThanOrEqualTo(2);
        assertRetried(job);
        assertCopied("dora", 15_000);
    }

    @Test
    void aRevokedGrantWaitsForConsentAndThenResumes() throws Exception {
        fill("carl", 6_000, 4);
        Hold midPosts = proxy.holdAfter(POSTS, 10);
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "carl");
            String job = page.getAttribute("#import", "data-id");
            awaitHeld(midPosts);
            revokeGrantsOn(podA, "carl");
            midPosts.release();
            awaitJob(job, row -> row.startsWith("NEEDS_CONSENT|"));
            page.navigate(podB.baseUrl() + "/import/" + job);
            page.waitForSelector("#import[data-state=NEEDS_CONSENT]");
            page.click("a[href='/import/connect/" + job + "']");
            // Still signed in on A: straight to its consent page.
            page.click("button[name=decision][value=allow]");
            awaitJob(job, row -> row.startsWith("DONE|"));
        }
        assertCopied("carl", 6_000);
    }

    @Test
    void photosTravelWhileThePostsDoAndAreFetchedOnce() throws Exception {
        fill("hal", 3_000, 5);
        // B's second page of posts is held: whatever photo B asks for meanwhile, it reads ahead of the photos phase.
        Hold midPosts = proxy.holdAfter(POSTS, 1);
        int before = proxy.requests().size();
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "hal");
            String job = page.getAttribute("#import", "data-id");
            awaitHeld(midPosts);
            Until.seen(
                    "B reading hal's five photos while its posts wait",
                    () -> photoContentRequests(before).size(),
                    count -> count == 5);
            midPosts.release();
            awaitJob(job, row -> row.startsWith("DONE|"));
        }
        // The photos phase found them whole on disk, checked them and asked for none of them again.
        assertThat(photoContentRequests(before)).hasSize(5).doesNotHaveDuplicates();
        // And their page: read once, ahead; the photos phase took it from where the read-ahead kept it.
        List<String> all = proxy.requests();
        assertThat(all.subList(before, all.size()))
                .filteredOn(request -> request.startsWith("GET /migration/v1/photos?"))
                .hasSize(1);
        assertCopied("hal", 3_000);
    }

    /** The photo transfers the proxy saw since its {@code from}th request. */
    private static List<String> photoContentRequests(int from) {
        List<String> all = proxy.requests();
        return all.subList(from, all.size()).stream()
                .filter(r -> r.startsWith("GET /migration/v1/photos/") && r.contains("/content"))
                .toList();
    }

    @Test
    void anImportCalledOffLeavesTheOldAccountAsItWas() throws Exception {
        fill("erin", 15_000, 2);
        Hold midPosts = proxy.holdAfter(POSTS, 10);
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "erin");
            String job = page.getAttribute("#import", "data-id");
            awaitHeld(midPosts);
            page.navigate(podB.baseUrl() + "/import/" + job);
            page.click("#abort button[type=submit]");
            page.waitForSelector("#import[data-state=ABORTED]");
            long copied = postsDone(jobRow(job));
            // The page B was reading when it was called off arrives after the abort: the runner drops it and stops
            // (it says so), and nothing more is copied.
            midPosts.release();
            Until.seen(
                    "B's runner stopping import " + job,
                    () -> Files.readString(podB.log()),
                    log -> log.contains("Import " + job + ": no longer this instance's to run"));
            assertThat(postsDone(jobRow(job))).isEqualTo(copied);
        }
        assertThat(PodDatabase.query(
                        podA,
                        "SELECT a.state, (SELECT count(*) FROM oidc_tokens t JOIN oidc_grants g"
                                + " ON g.id = t.grant_id WHERE g.account_id = a.id AND t.revoked_at IS NULL) FROM accounts a"
                                + " WHERE a.username = 'erin'"))
                .containsExactly("ACTIVE|0");
        assertThat(PodDatabase.query(podB, "SELECT state FROM accounts WHERE username = 'erin'"))
                .containsExactly("ACTIVE");
    }

    @Test
    void whatChangesOnTheOldPodDuringTheImportArrivesBeforeTheMove() throws Exception {
        fill("fay", 8_000, 2, 250);
        // Fay's friend: a name of its own, as every test here opens the accounts it uses.
        a.createAccount("fays_friend");
        String oldest = PodDatabase.query(
                        podA,
                        "SELECT p.guid FROM posts p JOIN accounts a ON a.id = p.account_id"
                                + " WHERE a.username = 'fay' ORDER BY p.created_at LIMIT 1")
                .get(0);
        // An old public post with comments, copied in the first pages: it gets a comment, a like, and loses one.
        String talkedAbout = PodDatabase.query(
                        podA,
                        "SELECT p.guid FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'fay'"
                                + " AND p.public AND p.guid <> '" + oldest + "' AND EXISTS (SELECT 1 FROM comments c"
                                + " WHERE c.post_id = p.id) ORDER BY p.created_at LIMIT 1")
                .get(0);
        String deletedComment = PodDatabase.query(
                        podA,
                        "SELECT c.guid FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.guid = '" + talkedAbout
                                + "' LIMIT 1")
                .get(0);
        String conversation = PodDatabase.query(
                        podA,
                        "SELECT c.guid FROM conversations c JOIN conversation_participants x"
                                + " ON x.conversation_id = c.id JOIN accounts a ON a.id = x.account_id"
                                + " WHERE a.username = 'fay' ORDER BY c.guid LIMIT 1")
                .get(0);
        Hold midPosts = proxy.holdAfter(POSTS, 20);
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "fay");
            String job = page.getAttribute("#import", "data-id");
            awaitHeld(midPosts);
            // Fay keeps living on A: a new post, a deleted one (already copied), a contact blocked.
            String fay = a.logIn("fay");
            a.request()
                    .cookie("transplant_session", fay)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "written during the move", "public", true))
                    .post("/api/v1/posts")
                    .then()
                    .statusCode(201);
            a.request()
                    .cookie("transplant_session", fay)
                    .delete("/api/v1/posts/" + oldest)
                    .then()
                    .statusCode(204);
            String contact = PodDatabase.query(
                            podA,
                            "SELECT c.handle FROM contacts c JOIN accounts a"
                                    + " ON a.id = c.account_id WHERE a.username = 'fay' AND NOT c.blocked LIMIT 1")
                    .get(0);
            a.request()
                    .cookie("transplant_session", fay)
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .post("/api/v1/contacts/" + contact + "/block")
                    .then()
                    .statusCode(Matchers.lessThan(300));
            // A friend comments on and likes a post already copied; fay deletes a comment under it, edits her
            // profile, and writes the 251st message of a conversation.
            String friend = a.logIn("fays_friend");
            a.request()
                    .cookie("transplant_session", friend)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "a word while fay moves"))
                    .post("/api/v1/posts/" + talkedAbout + "/comments")
                    .then()
                    .statusCode(201);
            a.request()
                    .cookie("transplant_session", friend)
                    .contentType(ContentType.JSON)
                    .post("/api/v1/posts/" + talkedAbout + "/likes")
                    .then()
                    .statusCode(201);
            a.request()
                    .cookie("transplant_session", fay)
                    .delete("/api/v1/posts/" + talkedAbout + "/comments/" + deletedComment)
                    .then()
                    .statusCode(204);
            a.request()
                    .cookie("transplant_session", fay)
                    .contentType(ContentType.JSON)
                    .body(Map.of("firstName", "Fay", "bio", "edited during the move"))
                    .put("/api/v1/profile")
                    .then()
                    .statusCode(200);
            a.request()
                    .cookie("transplant_session", fay)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "the 251st"))
                    .post("/api/v1/conversations/" + conversation + "/messages")
                    .then()
                    .statusCode(201);
            midPosts.release();
            awaitJob(job, row -> row.startsWith("DONE|"));
            // The first move was refused as "changes pending"; the delta after the first snapshot was copied.
            assertThat(PodDatabase.query(
                            podB, "SELECT delta_after IS NOT NULL FROM import_jobs WHERE id = '" + job + "'"))
                    .containsExactly("true");
        }
        String on = " JOIN accounts a ON a.id = x.account_id WHERE a.username = 'fay'";
        String friendOnB = "fays_friend@" + hostOf(proxy.baseUrl());
        for (String sql : new String[] {
            "SELECT x.guid, x.text FROM posts x" + on + " ORDER BY x.guid",
            "SELECT x.handle, x.following, x.follower, x.blocked FROM contacts x" + on + " ORDER BY x.handle",
            "SELECT c.guid, c.text FROM comments c JOIN posts x ON x.id = c.post_id" + on + " ORDER BY c.guid",
            "SELECT l.guid FROM likes l JOIN posts x ON x.id = l.post_id" + on + " ORDER BY l.guid",
            "SELECT x.first_name, x.bio FROM profiles x" + on,
            "SELECT c.guid, m.guid, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                    + " JOIN conversation_participants x ON x.conversation_id = c.id" + on + " ORDER BY m.guid"
        }) {
            assertThat(PodDatabase.digest(PodDatabase.query(podB, sql)))
                    .as(sql)
                    .isEqualTo(PodDatabase.digest(PodDatabase.query(podA, sql)));
        }
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts WHERE guid = '" + oldest + "'"))
                .containsExactly("0");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM comments WHERE guid = '" + deletedComment + "'"))
                .containsExactly("0");
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT count(*) FROM comments WHERE author_handle = '" + friendOnB + "'"
                                + " AND text = 'a word while fay moves'"))
                .containsExactly("1");
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                                + " WHERE c.guid = '" + conversation + "'"))
                .containsExactly("251");
        assertThat(PodDatabase.query(podB, "SELECT x.bio FROM profiles x" + on))
                .containsExactly("edited during the move");
    }

    @Test
    void theOldPodKilledMidImportIsWaitedForAndLinkedPhotosStayThere() throws Exception {
        fill("gil", 12_000, 5);
        Hold midPosts = proxy.holdAfter(POSTS, 20);
        String job;
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "gil", "link");
            job = page.getAttribute("#import", "data-id");
            awaitHeld(midPosts);
            // A dies with B's request on its way: B meets a pod that is not there, waits, and goes on once it is back.
            podA.kill();
            midPosts.release();
            assertThat(midPosts.awaitAnswered(Until.PATIENCE)).isTrue();
            podA.startAgain();
            awaitJob(job, row -> row.startsWith("DONE|"));
        }
        assertRetried(job);
        String on = " JOIN accounts a ON a.id = x.account_id WHERE a.username = 'gil'";
        String posts = "SELECT x.guid, x.text FROM posts x" + on + " ORDER BY x.guid";
        assertThat(PodDatabase.digest(PodDatabase.query(podB, posts)))
                .isEqualTo(PodDatabase.digest(PodDatabase.query(podA, posts)));
        // Photos kept on the old pod: B holds links, no files, and sends a browser there.
        List<String> photos = PodDatabase.query(
                podB, "SELECT x.guid, x.file_name IS NULL, x.remote_url FROM photos x" + on + " ORDER BY x.guid");
        assertThat(photos)
                .hasSize(5)
                .allSatisfy(row -> assertThat(row).contains("|true|" + proxy.baseUrl() + "/photos/"));
        String guid = photos.get(0).split("\\|")[0];
        // As their owner, who sees them whatever their posts' audience.
        PodApi b = PodApi.of(podB);
        b.request()
                .cookie("transplant_session", b.logIn("gil"))
                .redirects()
                .follow(false)
                .get("/photos/" + guid)
                .then()
                .statusCode(302)
                .header("Location", proxy.baseUrl() + "/photos/" + guid);
        // A keeps serving them: the move named no new photo URL, so no redirect and no purge for them.
        a.request()
                .cookie("transplant_session", a.logIn("gil"))
                .redirects()
                .follow(false)
                .get("/photos/" + guid)
                .then()
                .statusCode(200);
    }

    @Test
    void photosLeftBehindAreNeitherCopiedNorLinked() throws Exception {
        fill("gus", 300, 3);
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = startImport(context, "gus", "skip");
            awaitJob(page.getAttribute("#import", "data-id"), row -> row.startsWith("DONE|"));
        }
        String on = " JOIN accounts a ON a.id = x.account_id WHERE a.username = 'gus'";
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts x" + on)).containsExactly("300");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM photos x" + on))
                .containsExactly("0");
        String photo = PodDatabase.query(podA, "SELECT x.guid FROM photos x" + on + " LIMIT 1")
                .get(0);
        PodApi.of(podB)
                .request()
                .redirects()
                .follow(false)
                .get("/photos/" + photo)
                .then()
                .statusCode(404);
    }

    private static void fill(String user, int posts, int photos) {
        fill(user, posts, photos, 3);
    }

    private static void fill(String user, int posts, int photos, int messagesPerConversation) {
        a.createAccount(user);
        a.admin()
                .body(Map.of(
                        "posts",
                        posts,
                        "commentsPerPost",
                        3,
                        "likesPerPost",
                        5,
                        "photos",
                        photos,
                        "photoBytes",
                        20000,
                        "contacts",
                        100,
                        "conversations",
                        3,
                        "messagesPerConversation",
                        messagesPerConversation,
                        "seed",
                        3))
                .post("/admin/v1/accounts/" + user + "/synthetic-content")
                .then()
                .statusCode(200);
    }

    /** Starts the import of {@code user} in the browser, confirms on A, and returns on B's progress page. */
    private static Page startImport(BrowserContext context, String user) {
        return startImport(context, user, "copy");
    }

    private static Page startImport(BrowserContext context, String user, String photos) {
        Page page = context.newPage();
        page.navigate(podB.baseUrl() + "/import");
        // A's log-in page, at A's public URL: the proxy (B talks to A only through it as well).
        BrowserImport.confirm(
                page,
                user + "@" + hostOf(proxy.baseUrl()),
                user,
                user + "@example.org",
                photos,
                url -> url.startsWith("http://127.0.0.1:") && url.contains("/login?next="),
                user);
        page.waitForSelector("#import");
        return page;
    }

    /** Until B's job row ("state|phase|posts done|error") is as asked; a failed import fails at once. */
    private static void awaitJob(String job, Predicate<String> ready) throws Exception {
        Until.seen("import " + job, () -> jobRow(job), ready, row -> row.startsWith("FAILED|"));
    }

    private static String jobRow(String job) throws Exception {
        List<String> rows = PodDatabase.query(
                podB,
                "SELECT state, phase, coalesce(done ->> 'posts', '0'), error" + " FROM import_jobs WHERE id = '" + job
                        + "'");
        return rows.isEmpty() ? "" : rows.get(0);
    }

    private static void awaitHeld(Hold hold) throws Exception {
        assertThat(hold.awaitHeld(Until.PATIENCE)).as("B reached the held page").isTrue();
    }

    /** Until every access token A issued to {@code user} has run out. */
    private static void awaitNoLiveAccessToken(String user) throws Exception {
        Until.seen(
                user + "'s live access tokens on A",
                () -> PodDatabase.query(
                        podA,
                        "SELECT count(*) FROM"
                                + " oidc_tokens t JOIN accounts a ON a.id = t.account_id WHERE a.username = '" + user
                                + "'"
                                + " AND t.kind = 'access' AND t.expires_at > now()"),
                rows -> rows.equals(List.of("0")));
    }

    /** B's log says that this job (not another test's) met a failure and waits to try again. */
    private static void assertRetried(String job) throws Exception {
        assertThat(Files.readString(podB.log()))
                .containsPattern("Import " + job + ": attempt \\d+ failed .*; retrying in");
    }

    private static long postsDone(String row) {
        return Long.parseLong(row.split("\\|")[2]);
    }

    private static void assertCopied(String user, int posts) throws Exception {
        String on = " JOIN accounts a ON a.id = x.account_id WHERE a.username = '" + user + "'";
        String sql = "SELECT x.guid, (extract(epoch FROM x.created_at) * 1000000)::bigint,"
                + " (SELECT string_agg(c.guid, ',' ORDER BY c.guid) FROM comments c WHERE c.post_id = x.id),"
                + " (SELECT string_agg(l.guid, ',' ORDER BY l.guid) FROM likes l WHERE l.post_id = x.id)"
                + " FROM posts x" + on + " ORDER BY x.guid";
        List<String> held = PodDatabase.query(podA, sql);
        assertThat(held).hasSize(posts);
        assertThat(PodDatabase.digest(PodDatabase.query(podB, sql))).isEqualTo(PodDatabase.digest(held));
        String photos = "SELECT x.guid, x.sha256 FROM photos x" + on + " ORDER BY x.guid";
        assertThat(PodDatabase.digest(PodDatabase.query(podB, photos)))
                .isEqualTo(PodDatabase.digest(PodDatabase.query(podA, photos)));
        // Each page counted once: a page re-read after the kill was never committed the first time.
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT done ->> 'posts', done ->> 'comments', done ->> 'likes'"
                                + " FROM import_jobs j JOIN accounts a ON a.id = j.account_id WHERE a.username = '"
                                + user + "'"))
                .containsExactly(posts + "|" + posts * 3 + "|" + posts * 5);
    }

    private static void revokeGrantsOn(PodProcess pod, String user) throws Exception {
        PodDatabase.update(
                pod,
                "UPDATE oidc_grants g SET revoked_at = now() FROM accounts a"
                        + " WHERE a.id = g.account_id AND a.username = '" + user + "'",
                "UPDATE oidc_tokens t SET revoked_at"
                        + " = now() FROM oidc_grants g WHERE g.id = t.grant_id AND g.revoked_at IS NOT NULL");
    }

    private static String hostOf(String url) {
        return url.substring(url.indexOf("://") + 3);
    }
}
