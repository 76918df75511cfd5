package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.BrowserImport;
import org.transplant.testing.Chromium;
import org.transplant.testing.FaultyProxy;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * An old pod that lies (issue 12): its Migration API answers are tampered with, in its database or by a proxy that
 * rewrites its JSON on the way to the new pod. Whatever it sends, the new pod never changes or joins other people's
 * content, never shows its own people as authors of what they did not write, imports only the account that
 * authorized it, ends a job whose pages overstep their bounds with a reason, leaves out and reports a bad record
 * instead of failing on it, and keeps other imports going while one old pod hangs.
 */
class HostileOldPodIT {

    private static final int PAGE = 10;

    private static FaultyProxy proxy;
    private static PodProcess podA;
    private static PodProcess podB;
    private static PodApi a;
    private static PodApi b;
    private static Chromium chromium;

    @BeforeAll
    static void startPods() throws Exception {
        proxy = FaultyProxy.start();
        podA = PodProcess.start("hostile-a", "127.0.0.1", Map.of("TRANSPLANT_PUBLIC_URL", proxy.baseUrl()));
        proxy.forwardTo(podA.baseUrl());
        // A request held by a hanging old pod stays held for the whole test: only running jobs side by side helps.
        podB = PodProcess.start(
                "hostile-b",
                "localhost",
                Map.of(
                        "TRANSPLANT_IMPORTER_PAGE_SIZE",
                        Integer.toString(PAGE),
                        "TRANSPLANT_IMPORTER_REQUEST_TIMEOUT",
                        "PT10M"));
        a = PodApi.of(podA);
        b = PodApi.of(podB);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stopPods() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {chromium, podB, podA, proxy}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void honestAgain() {
        proxy.clearRewrites();
    }

    @Test
    void guidsOfOtherPeoplesContentHereAreLeftOutAndReported() throws Exception {
        // Bob on B has a post with a comment and a like, and a conversation.
        b.createAccount("bob");
        fill(b, "bob", 1, 1, 1, 1, 11);
        String bobPost = one(podB, "SELECT p.guid FROM posts p" + of("bob"));
        String bobComment = one(podB, "SELECT c.guid FROM comments c JOIN posts p ON p.id = c.post_id" + of("bob"));
        String bobLike = one(podB, "SELECT l.guid FROM likes l JOIN posts p ON p.id = l.post_id" + of("bob"));
        String bobConversation = one(
                podB,
                "SELECT c.guid FROM conversations c JOIN conversation_participants p"
                        + " ON p.conversation_id = c.id JOIN accounts a ON a.id = p.account_id WHERE a.username = 'bob'");
        List<String> bobsBefore = bobsContent(bobPost, bobConversation);
        // Ann's old pod sends them as hers.
        fillOld("ann", 12);
        PodDatabase.update(
                podA,
                "UPDATE posts SET guid = '" + bobPost + "' WHERE id = (SELECT p.id FROM posts p" + of("ann")
                        + " ORDER BY p.created_at LIMIT 1)",
                "UPDATE comments SET guid = '" + bobComment + "' WHERE id = (SELECT c.id FROM comments c JOIN posts p"
                        + " ON p.id = c.post_id" + of("ann") + " ORDER BY p.created_at DESC LIMIT 1)",
                "UPDATE likes SET guid = '" + bobLike + "' WHERE id = (SELECT l.id FROM likes l JOIN posts p"
                        + " ON p.id = l.post_id" + of("ann") + " ORDER BY p.created_at DESC LIMIT 1)",
                "UPDATE conversations SET guid = '" + bobConversation + "' WHERE id = (SELECT c.id FROM conversations c"
                        + " JOIN conversation_participants p ON p.conversation_id = c.id JOIN accounts a"
                        + " ON a.id = p.account_id WHERE a.username = 'ann' LIMIT 1)");

        String job = importOf("ann", "ann");
        assertThat(awaitEnd(job)).startsWith("DONE|");

        // Bob's content is as it was; Ann is in none of it, and her new account holds the rest of hers.
        assertThat(bobsContent(bobPost, bobConversation)).isEqualTo(bobsBefore);
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT count(*) FROM conversation_participants p JOIN conversations c"
                                + " ON c.id = p.conversation_id JOIN accounts a ON a.id = p.account_id WHERE c.guid = '"
                                + bobConversation + "' AND a.username = 'ann'"))
                .containsExactly("0");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts p" + of("ann")))
                .containsExactly("11");
        assertThat(keys(leftOut("ann", job)))
                .contains(
                        "posts " + bobPost,
                        "comments " + bobComment,
                        "likes " + bobLike,
                        "conversations " + bobConversation);
    }

    @Test
    void commentsLikesAndMessagesByPeopleOfTheNewPodAreLeftOut() throws Exception {
        b.createAccount("cora");
        fillOld("dan", 13);
        String cora = "cora@" + podB.host();
        String forgedComment = one(
                podA,
                "SELECT c.guid FROM comments c JOIN posts p ON p.id = c.post_id" + of("dan")
                        + " ORDER BY c.guid LIMIT 1");
        String forgedLike = one(
                podA,
                "SELECT l.guid FROM likes l JOIN posts p ON p.id = l.post_id" + of("dan") + " ORDER BY l.guid LIMIT 1");
        String forgedMessage = one(
                podA,
                "SELECT m.guid FROM messages m JOIN conversation_participants p"
                        + " ON p.conversation_id = m.conversation_id JOIN accounts a ON a.id = p.account_id"
                        + " WHERE a.username = 'dan' ORDER BY m.guid LIMIT 1");
        PodDatabase.update(
                podA,
                "UPDATE comments SET author_handle = '" + cora + "' WHERE guid = '" + forgedComment + "'",
                "UPDATE likes SET author_handle = '" + cora + "' WHERE guid = '" + forgedLike + "'",
                "UPDATE messages SET author_handle = '" + cora + "' WHERE guid = '" + forgedMessage + "'");

        String job = importOf("dan", "dan");
        assertThat(awaitEnd(job)).startsWith("DONE|");

        assertThat(PodDatabase.query(
                        podB,
                        "SELECT (SELECT count(*) FROM comments WHERE author_handle = '" + cora
                                + "'), (SELECT count(*) FROM likes WHERE author_handle = '" + cora + "'),"
                                + " (SELECT count(*) FROM messages WHERE author_handle = '" + cora + "')"))
                .containsExactly("0|0|0");
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts p" + of("dan")))
                .containsExactly("12");
        assertThat(keys(leftOut("dan", job)))
                .contains("comments " + forgedComment, "likes " + forgedLike, "messages " + forgedMessage);
    }

    @Test
    void anAccountOtherThanTheOneTypedIsRefusedBeforeAnythingIsWritten() throws Exception {
        a.createAccount("vic");
        fillOld("mal", 14);
        // The import is started for vic@A, but whoever signs in at A is mal, whose account A then hands over.
        String job = importOf("vic", "mal");
        String end = awaitEnd(job);
        assertThat(end)
                .startsWith("FAILED|")
                .contains("vic@" + hostOf(proxy.baseUrl()))
                .contains("mal@" + hostOf(proxy.baseUrl()));
        String on = " x JOIN accounts a ON a.id = x.account_id WHERE a.username = 'vic'";
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT (SELECT count(*) FROM posts" + on + "), (SELECT count(*) FROM"
                                + " contacts" + on + "), (SELECT count(*) FROM tag_followings" + on
                                + "), (SELECT count(*) FROM"
                                + " conversation_participants" + on
                                + "), (SELECT snapshot IS NULL FROM import_jobs WHERE id = '" + job
                                + "')"))
                .containsExactly("0|0|0|0|true");
    }

    @Test
    void aPageWithMoreItemsThanAskedForEndsTheJobWithAReason() throws Exception {
        fillOld("eve", 15);
        proxy.rewriteNext("/migration/v1/posts", 1, (uri, body) -> {
            JsonObject page = new JsonObject(body);
            JsonArray items = page.getJsonArray("items");
            while (items.size() <= PAGE) {
                items.add(items.getJsonObject(0).copy().put("guid", "f0f0f0f0f0f0f0f0" + items.size()));
            }
            return page.encode();
        });
        String job = importOf("eve", "eve");
        assertThat(awaitEnd(job)).startsWith("FAILED|").contains("more than the " + PAGE);
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts p" + of("eve")))
                .containsExactly("0");
    }

    @Test
    void aNextPageThatIsTheSamePageAgainEndsTheJobWithAReason() throws Exception {
        fillOld("fred", 16);
        // Every later page of posts names itself as the next one: an endless chain.
        proxy.rewriteNext("/migration/v1/posts", -1, (uri, body) -> {
            JsonObject page = new JsonObject(body);
            return uri.getQuery() != null && uri.getQuery().contains("cursor=")
                    ? page.put("next", proxy.baseUrl() + uri.getRawPath() + "?" + uri.getRawQuery())
                            .encode()
                    : body;
        });
        String job = importOf("fred", "fred");
        assertThat(awaitEnd(job)).startsWith("FAILED|").contains("do not move forward");
    }

    @Test
    void recordsOfTheWrongShapeAreLeftOutAndReportedAndTheRestArrives() throws Exception {
        fillOld("gwen", 17);
        proxy.rewriteNext("/migration/v1/posts", 1, (uri, body) -> {
            JsonObject page = new JsonObject(body);
            JsonArray items = page.getJsonArray("items");
            items.getJsonObject(0).put("text", 42);
            items.getJsonObject(1).put("createdAt", "yesterday");
            items.getJsonObject(2).put("guid", "../../etc/passwd");
            items.getJsonObject(3).getJsonArray("comments").getJsonObject(0).put("author", new JsonArray().add("x"));
            items.getJsonObject(4).put("comments", "none");
            items.set(5, "not a post");
            return page.encode();
        });
        proxy.rewriteNext("/migration/v1/contacts", 1, (uri, body) -> {
            JsonObject page = new JsonObject(body);
            page.getJsonArray("items").getJsonObject(0).put("following", "yes");
            return page.encode();
        });
        String job = importOf("gwen", "gwen");
        assertThat(awaitEnd(job)).startsWith("DONE|");
        // Of its 12 posts, 5 were broken: 7 arrive.
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM posts p" + of("gwen")))
                .containsExactly("7");
        List<String> report = leftOut("gwen", job);
        assertThat(report)
                .anySatisfy(line -> assertThat(line).startsWith("posts ").endsWith("text must be a text"))
                .anySatisfy(line -> assertThat(line).contains("createdAt is not a time"))
                // A key that is not shaped like a guid is named by its place, never quoted.
                .anySatisfy(line -> assertThat(line).startsWith("posts posts[").contains("guid is not a guid"))
                .noneSatisfy(line -> assertThat(line).contains("etc/passwd"))
                .anySatisfy(line -> assertThat(line).startsWith("comments ").contains("author must be a text"))
                .anySatisfy(line -> assertThat(line).contains("comments must be a list"))
                .anySatisfy(
                        line -> assertThat(line).startsWith("posts posts[5]").contains("not a JSON object"))
                .anySatisfy(line -> assertThat(line).startsWith("contacts ").contains("following must be true"));
        // The progress page lists them too.
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/login");
            page.fill("input[name=username]", "gwen");
            page.fill("input[name=password]", PodApi.PASSWORD);
            page.click("button[type=submit]");
            page.navigate(podB.baseUrl() + "/import/" + job);
            assertThat(page.getAttribute("#left-out", "data-count")).isEqualTo(String.valueOf(report.size()));
            assertThat(page.textContent("#left-out"))
                    .contains("posts posts[2]: guid is not a guid")
                    .doesNotContain("etc/passwd");
        }
    }

    @Test
    void anOldPodThatHangsHoldsUpOnlyItsOwnImport() throws Exception {
        fillOld("hal", 18);
        fillOld("ida", 19);
        FaultyProxy.Hold hang = proxy.holdNext("/migration/v1/contacts");
        try {
            String slow = importOf("hal", "hal");
            assertThat(hang.awaitHeld(Until.PATIENCE)).isTrue();
            String quick = importOf("ida", "ida");
            assertThat(awaitEnd(quick)).startsWith("DONE|");
            assertThat(PodDatabase.query(podB, "SELECT state FROM import_jobs WHERE id = '" + slow + "'"))
                    .containsExactly("IMPORTING");
            hang.release();
            assertThat(awaitEnd(slow)).startsWith("DONE|");
        } finally {
            hang.release();
        }
    }

    /** An account on the old pod with a little of everything (no photos: they are another test's). */
    private static void fillOld(String user, int seed) {
        a.createAccount(user);
        fill(a, user, 12, 2, 2, 2, seed);
    }

    private static void fill(
            PodApi pod, String user, int posts, int perPost, int contacts, int conversations, int seed) {
        pod.admin()
                .body(Map.of(
                        "posts",
                        posts,
                        "commentsPerPost",
                        perPost,
                        "likesPerPost",
                        perPost,
                        "photos",
                        0,
                        "photoBytes",
                        0,
                        "contacts",
                        contacts,
                        "conversations",
                        conversations,
                        "messagesPerConversation",
                        2,
                        "seed",
                        seed))
                .post("/admin/v1/accounts/" + user + "/synthetic-content")
                .then()
                .statusCode(200);
    }

    /** Starts, in the browser, the import of {@code typed} (signing in at A as {@code signsIn}); the job's id. */
    private static String importOf(String typed, String signsIn) {
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/import");
            BrowserImport.confirm(
                    page,
                    typed + "@" + hostOf(proxy.baseUrl()),
                    typed,
                    typed + "@example.org",
                    "skip",
                    url -> url.startsWith("http://127.0.0.1:") && url.contains("/login?next="),
                    signsIn);
            page.waitForSelector("#import");
            return page.getAttribute("#import", "data-id");
        }
    }

    /** Waits until the job has ended; its "state|error". */
    private static String awaitEnd(String job) throws Exception {
        return Until.seen(
                "import " + job + " ended",
                () -> one(
                        podB,
                        "SELECT state || '|' || coalesce(error, '')" + " FROM import_jobs WHERE id = '" + job + "'"),
                row -> row.startsWith("DONE|") || row.startsWith("FAILED|"));
    }

    /** The report of what was left out, as the importing person reads it: "collection key: reason". */
    private static List<String> leftOut(String user, String job) {
        JsonPath status = b.as(b.logIn(user))
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, String>> items = status.getList("leftOut.items");
        assertThat(status.getLong("leftOut.count")).isEqualTo(items.size());
        return items.stream()
                .map(i -> i.get("collection") + " " + i.get("key") + ": " + i.get("reason"))
                .toList();
    }

    /** "collection key" of each line of the report. */
    private static List<String> keys(List<String> report) {
        return report.stream().map(line -> line.substring(0, line.indexOf(':'))).toList();
    }

    private static List<String> bobsContent(String post, String conversation) throws Exception {
        return PodDatabase.query(
                podB,
                "SELECT a.username, p.text, (SELECT string_agg(c.guid || c.author_handle"
                        + " || c.text, ',' ORDER BY c.guid) FROM comments c WHERE c.post_id = p.id), (SELECT string_agg(l.guid"
                        + " || l.author_handle, ',' ORDER BY l.guid) FROM likes l WHERE l.post_id = p.id), (SELECT"
                        + " string_agg(m.guid || m.author_handle || m.text, ',' ORDER BY m.guid) FROM messages m JOIN"
                        + " conversations cv ON cv.id = m.conversation_id WHERE cv.guid = '" + conversation
                        + "'), (SELECT"
                        + " string_agg(cp.handle, ',' ORDER BY cp.handle) FROM conversation_participants cp JOIN"
                        + " conversations cv ON cv.id = cp.conversation_id WHERE cv.guid = '" + conversation + "')"
                        + " FROM posts p JOIN accounts a ON a.id = p.account_id WHERE p.guid = '" + post + "'");
    }

    private static String of(String user) {
        return " JOIN accounts a ON a.id = p.account_id WHERE a.username = '" + user + "'";
    }

    private static String one(PodProcess pod, String sql) throws Exception {
        List<String> rows = PodDatabase.query(pod, sql);
        return rows.isEmpty() ? "" : rows.get(0);
    }

    private static String hostOf(String url) {
        return url.substring(url.indexOf("://") + 3);
    }
}
