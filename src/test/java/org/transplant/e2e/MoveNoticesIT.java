package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.federation.InboxResource;
import org.transplant.testing.BrowserImport;
import org.transplant.testing.Chromium;
import org.transplant.testing.FaultyProxy;
import org.transplant.testing.FaultyProxy.Fault;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * Three pods as separate processes. xena on A moves to B; on a third pod C, cara follows her, she follows cyd, and
 * cleo blocks her; on A itself abe follows her; one of her contacts is on a pod that never answers. C's inbox
 * drops the connection for the first two deliveries (a proxy in front of C): A's notice reaches it by retry.
 * Then C's people relate to xena's new identity exactly as they did to the old one, without doing anything, and so
 * does abe on A. B, where nobody knew
 * her old identity, refuses its notice; B's move page counts the pods that accepted (2 of 4, under the 0.6
 * threshold: needs attention) and names the one that refused and the one that could not be reached.
 */
class MoveNoticesIT {

    private static PodProcess podA;
    private static PodProcess podB;
    private static PodProcess podC;
    private static FaultyProxy proxyC;
    /** C's host, as its handles and A's deliveries name it: the proxy in front of it. */
    private static String cHost;

    private static PodApi a;
    private static PodApi c;

    @BeforeAll
    static void startPods() throws Exception {
        // Short waits between attempts and a budget of five: more than C's two refused deliveries need, few enough
        // that the dead pod is given up soon. How many attempts a pod gets is a count, not a time.
        Map<String, String> fast = Map.of(
                "TRANSPLANT_FEDERATION_MAX_BACKOFF",
                "PT2S",
                "TRANSPLANT_FEDERATION_MAX_ATTEMPTS",
                "5",
                "TRANSPLANT_FEDERATION_ACCEPTANCE_THRESHOLD",
                "0.6");
        podA = PodProcess.start("notices-a", "127.0.0.1", fast);
        podB = PodProcess.start("notices-b", "localhost", fast);
        proxyC = FaultyProxy.start();
        Map<String, String> behindProxy = new HashMap<>(fast);
        behindProxy.put("TRANSPLANT_PUBLIC_URL", proxyC.baseUrl());
        podC = PodProcess.start("notices-c", "127.0.0.2", behindProxy);
        proxyC.forwardTo(podC.baseUrl());
        cHost = proxyC.baseUrl().substring("http://".length());
        a = PodApi.of(podA);
        c = PodApi.of(podC);
    }

    @AfterAll
    static void stopPods() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {podC, proxyC, podB, podA}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void contactsOnOtherPodsFollowTheMover() throws Exception {
        String xena = "xena@" + podA.host();
        String cara = "cara@" + cHost;
        String cyd = "cyd@" + cHost;
        String ghost = "ghost@127.0.0.3:1";
        a.createAccount("xena");
        a.createAccount("abe");
        for (String name : List.of("cara", "cyd", "cleo")) {
            c.createAccount(name);
        }
        String xenaSession = a.logIn("xena");
        String caraSession = c.logIn("cara");
        // Each side of each relation, through the pods' APIs where they have one.
        a.as(a.logIn("abe"))
                .contentType(ContentType.JSON)
                .body(Map.of("handle", xena))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        for (String handle : List.of(cyd, ghost)) {
            a.as(xenaSession)
                    .contentType(ContentType.JSON)
                    .body(Map.of("handle", handle))
                    .post("/api/v1/contacts")
                    .then()
                    .statusCode(201);
        }
        c.as(caraSession)
                .contentType(ContentType.JSON)
                .body(Map.of("handle", xena))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        c.as(c.logIn("cleo")).post("/api/v1/contacts/" + xena + "/block").then().statusCode(200);
        // Following her, C learned her key from A: the key it checks her move notice with.
        String xenaKey = PodDatabase.query(podA, "SELECT public_key_pem FROM accounts WHERE username = 'xena'")
                .get(0);
        awaitRows(
                podC,
                "SELECT count(*) FROM person_keys WHERE handle = '" + xena + "' AND public_key_pem = '"
                        + xenaKey.replace("'", "''") + "'",
                "1");
        String post = c.as(caraSession)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "hi", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        // What federation between the pods would have brought: the other side of each sharing, xena's comment.
        for (String follower : List.of(cara, "bea@" + podB.host())) {
            PodDatabase.update(
                    podA,
                    "INSERT INTO contacts (account_id, handle, follower, seq) SELECT id, '" + follower
                            + "', true, 1 FROM accounts WHERE username = 'xena'");
        }
        PodDatabase.update(
                podC,
                "INSERT INTO contacts (account_id, handle, follower, seq) SELECT id, '" + xena
                        + "', true, 1 FROM accounts WHERE username = 'cyd'",
                "INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at) SELECT 'xena-comment', id,"
                        + " '" + xena + "', 'hello cara', 1, now() FROM posts WHERE guid = '" + post + "'");
        String relationsBefore = relationsOnC(xena);

        // C's inbox drops the first two deliveries: A tries again, and the third gets through.
        proxyC.failNext(InboxResource.PATH, Fault.RESET, 2);
        String newHandle = moveXena();
        awaitRows(podA, "SELECT state, attempts FROM move_deliveries WHERE pod_host = '" + cHost + "'", "ACCEPTED|3");
        assertThat(proxyC.faultsServed()).isEqualTo(2);
        assertThat(relationsOnC(newHandle)).isEqualTo(relationsBefore.replace(xena, newHandle));
        assertThat(PodDatabase.query(podC, "SELECT count(*) FROM contacts WHERE handle = '" + xena + "'"))
                .containsExactly("0");
        String newKey = PodDatabase.query(podB, "SELECT public_key_pem FROM accounts WHERE username = 'xena'")
                .get(0);
        assertThat(PodDatabase.query(
                        podC, "SELECT DISTINCT public_key_pem FROM contacts WHERE handle = '" + newHandle + "'"))
                .containsExactly(newKey);
        assertThat(PodDatabase.query(podC, "SELECT author_handle FROM comments WHERE guid = 'xena-comment'"))
                .containsExactly(newHandle);
        assertThat(PodDatabase.query(podC, "SELECT new_handle FROM moved_people WHERE old_handle = '" + xena + "'"))
                .containsExactly(newHandle);
        // A told itself too: abe follows the new identity.
        awaitRows(
                podA,
                "SELECT following FROM contacts c JOIN accounts a ON a.id = c.account_id"
                        + " WHERE a.username = 'abe' AND c.handle = '" + newHandle + "'",
                "true");

        // The new identity names the old one (FEP-7628's alsoKnownAs).
        PodApi.of(podB)
                .request()
                .queryParam("resource", "acct:" + newHandle)
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", Matchers.hasItem("acct:" + xena));

        // B's move page: C and A accepted, B refused (nobody there knew xena@A), the dead pod was never reached.
        awaitRows(podA, "SELECT state FROM move_deliveries WHERE pod_host = '127.0.0.3:1'", "UNREACHABLE");
        assertThat(PodDatabase.query(
                        podA, "SELECT state, outcome FROM move_deliveries WHERE pod_host = '" + podB.host() + "'"))
                .singleElement()
                .asString()
                .startsWith("REFUSED|unknown-identity");
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/login");
            page.fill("input[name=username]", "xena");
            page.fill("input[name=password]", PodApi.PASSWORD);
            page.click("button[type=submit]");
            page.navigate(podB.baseUrl() + "/import/"
                    + PodDatabase.query(podB, "SELECT id FROM import_jobs").get(0));
            page.waitForSelector(
                    "#notices[data-verdict=needs-attention]",
                    new Page.WaitForSelectorOptions().setTimeout(Until.PATIENCE.toMillis()));
            assertThat(page.getAttribute("#notices", "data-accepted")).isEqualTo("2");
            assertThat(page.getAttribute("#notices", "data-total")).isEqualTo("4");
            assertThat(page.getAttribute("#notices li[data-pod='127.0.0.3:1']", "data-state"))
                    .isEqualTo("UNREACHABLE");
            assertThat(page.getAttribute("#notices li[data-pod='" + podB.host() + "']", "data-state"))
                    .isEqualTo("REFUSED");
            assertThat(page.textContent("#notices")).contains("needs attention");
        }
    }

    /** xena moves from A to B in the browser, as a person does; answers her new handle. */
    private static String moveXena() throws Exception {
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(podB.baseUrl() + "/import");
            BrowserImport.confirm(
                    page,
                    "xena@" + podA.host(),
                    "xena",
                    "xena@example.org",
                    "copy",
                    url -> url.startsWith(podA.baseUrl() + "/login"),
                    "xena");
            page.waitForURL(url -> url.startsWith(podB.baseUrl() + "/import/"));
            Until.seen(
                    "xena's import on B",
                    () -> PodDatabase.query(podB, "SELECT state, error FROM import_jobs"),
                    rows -> rows.size() == 1 && rows.get(0).startsWith("DONE|"),
                    rows -> rows.toString().contains("FAILED"));
        }
        return "xena@" + podB.host();
    }

    /** How C's people relate to {@code handle}: who, following, follower, blocked; and what it wrote there. */
    private static String relationsOnC(String handle) throws Exception {
        return String.join(
                        "\n",
                        PodDatabase.query(
                                podC,
                                "SELECT a.username, c.following, c.follower, c.blocked"
                                        + " FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.handle = '"
                                        + handle
                                        + "' ORDER BY a.username"))
                + "\n"
                + String.join(
                        "\n",
                        PodDatabase.query(
                                podC, "SELECT guid, text FROM comments WHERE author_handle = '" + handle + "'"));
    }

    private static void awaitRows(PodProcess pod, String sql, String expected) throws Exception {
        Until.seen(sql + " = " + expected, () -> PodDatabase.query(pod, sql), rows -> rows.equals(List.of(expected)));
    }
}
