package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.migration.importer.ImportPhases;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.BrowserImport;
import org.transplant.testing.Chromium;
import org.transplant.testing.FaultyProxy;
import org.transplant.testing.FaultyProxy.Hold;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodDigest;
import org.transplant.testing.PodProcess;
import org.transplant.testing.Until;

/**
 * The new pod killed with SIGKILL in every phase of an import, each time at a request the test chooses: the first
 * request of the account phase, the second page of every collection (once the first is committed), and the move
 * call itself (which the old pod carries out while the new pod is dead). After each kill the new pod starts again
 * on the same data and resumes. At the end every collection on the new pod has the old pod's content, item for
 * item, and no page was asked for twice but the one in flight at each kill. And the same import run twice (into
 * two new pods) gives the same content twice.
 */
class ImportCrashIT {

    /** Items per page: small, so that a modest account has several pages in every collection. */
    private static final int PAGE = 10;

    private static final String API = "/migration/v1/";
    private static final Map<String, String> NEW_POD =
            Map.of("TRANSPLANT_IMPORTER_LEASE", "PT3S", "TRANSPLANT_IMPORTER_PAGE_SIZE", Integer.toString(PAGE));

    private static FaultyProxy proxy;
    private static PodProcess podA;
    private static PodProcess podB;
    private static PodApi a;

    @BeforeAll
    static void startPods() throws Exception {
        proxy = FaultyProxy.start();
        // A knows itself by the proxy's address, so B and the browser reach it only through the proxy.
        podA = PodProcess.start("crash-a", "127.0.0.1", Map.of("TRANSPLANT_PUBLIC_URL", proxy.baseUrl()));
        proxy.forwardTo(podA.baseUrl());
        podB = PodProcess.start("crash-b", "localhost", NEW_POD);
        a = PodApi.of(podA);
    }

    /** A test that failed before B reached a held request leaves no hold behind for the next one. */
    @AfterEach
    void releaseHolds() {
        proxy.releaseHolds();
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
    void aNewPodKilledInEveryPhaseResumesWithEverythingAndFetchesNothingTwice() throws Exception {
        fill("nina");
        PodDigest onA = PodDigest.ofWhatMoves(podA, "nina", "nina@" + hostOf(proxy.baseUrl()));
        onA.assertNoneEmpty();
        List<String> phases = ImportPhases.inOrder();
        // Every hold in place before the import starts: B runs from one phase into the next without waiting.
        Map<String, Hold> holds = new LinkedHashMap<>();
        for (String phase : phases) {
            holds.put(phase, holdIn(phase));
        }
        int before = proxy.requests().size();
        List<String> inFlight = new ArrayList<>();
        String job;
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            job = startImport(context, "nina").getAttribute("#import", "data-id");
            for (String phase : phases) {
                Hold hold = holds.get(phase);
                assertThat(hold.awaitHeld(Until.PATIENCE))
                        .as("B reached the held request of phase " + phase)
                        .isTrue();
                if (isCollection(phase)) {
                    // The first page is committed with its cursor, so the held one is all that is in flight.
                    Until.seen(
                            "the first page of " + phase + " committed",
                            () -> jobRow(job, "phase, cursor IS NOT NULL"),
                            row -> row.equals(phase + "|true"));
                }
                if (phase.equals("posts")) {
                    // The first page of photos, read ahead meanwhile, is whole on B's disk before B dies: a pod
                    // killed asks again only for what it was fetching, and here it was fetching nothing.
                    Until.seen(
                            "the first page of photos read ahead", () -> firstPhotosPageWholeOnB(job), whole -> whole);
                }
                inFlight.add(hold.heldRequest().toString());
                // Dead before the answer comes; the old pod answers (for the move: moves the account) meanwhile.
                podB.kill();
                hold.release();
                assertThat(hold.awaitAnswered(Until.PATIENCE)).isTrue();
                podB.startAgain();
            }
            awaitJob(job, "DONE");
        }
        List<String> handles = List.of(jobRow(job, "old_handle, new_handle").split("\\|"));
        assertThat(handles.get(0)).isEqualTo("nina@" + hostOf(proxy.baseUrl()));
        PodDigest.of(podB, "nina", handles.get(1)).assertSameAs(onA);
        assertFetchedOnce(proxy.requests().subList(before, proxy.requests().size()), inFlight);
    }

    @Test
    void theSameImportRunTwiceCopiesTheSameContent() throws Exception {
        fill("otto");
        PodDigest onA = PodDigest.ofWhatMoves(podA, "otto", "otto@" + hostOf(proxy.baseUrl()));
        onA.assertNoneEmpty();
        // Both imports stop at their move call: only one of them can move the account, and both copied it all.
        Hold firstMove = proxy.holdAfterExactly(API + "move", 0);
        Hold secondMove = proxy.holdAfterExactly(API + "move", 0);
        try (PodProcess podC = PodProcess.start("crash-c", "localhost", NEW_POD);
                Chromium chromium = Chromium.launch();
                BrowserContext toB = chromium.newContext();
                BrowserContext toC = chromium.newContext()) {
            String onB = startImport(toB, podB, "otto").getAttribute("#import", "data-id");
            String onC = startImport(toC, podC, "otto").getAttribute("#import", "data-id");
            assertThat(firstMove.awaitHeld(Until.PATIENCE)).isTrue();
            assertThat(secondMove.awaitHeld(Until.PATIENCE)).isTrue();
            PodDigest copyB = PodDigest.of(podB, "otto", jobRow(podB, onB, "new_handle"));
            PodDigest copyC = PodDigest.of(podC, "otto", jobRow(podC, onC, "new_handle"));
            assertThat(copyC.digests()).isEqualTo(copyB.digests());
            copyB.assertSameAs(onA);
            copyC.assertSameAs(onA);
            // The first move call A answers wins; the other is told the account already moved.
            firstMove.release();
            secondMove.release();
            List<String> ends = List.of(
                    awaitEnd(podB, onB).split("\\|")[0], awaitEnd(podC, onC).split("\\|")[0]);
            assertThat(ends).containsExactlyInAnyOrder("DONE", "FAILED");
        }
    }

    /**
     * Whether B has kept the first page of photos it read ahead (beside its part files) and holds every photo of it
     * whole, as many bytes as the proxy sent.
     */
    private static boolean firstPhotosPageWholeOnB(String job) throws Exception {
        PhotoStore onB = PhotoStore.under(podB.dataDir());
        Path kept = onB.keptPageOf(job);
        if (!Files.exists(kept)) {
            return false;
        }
        Map<String, Long> answered = proxy.answeredBytes();
        for (Object item : new JsonObject(Files.readString(kept)).getJsonArray("items")) {
            String guid = ((JsonObject) item).getString("guid");
            Long sent = answered.get(API + "photos/" + guid + "/content");
            if (sent == null || onB.partOf(job, guid).toFile().length() != sent) {
                return false;
            }
        }
        return true;
    }

    /**
     * The hold that stops B in {@code phase}: the account document's first request; a collection's second page,
     * so that one page of it is committed before the kill; the move call.
     */
    private static Hold holdIn(String phase) {
        if (isCollection(phase)) {
            return proxy.holdAfterExactly(API + phase, 1);
        }
        return proxy.holdAfterExactly(API + phase, 0);
    }

    private static boolean isCollection(String phase) {
        return !phase.equals("account") && !phase.equals("move");
    }

    /**
     * Each request B made to the Migration API (a collection's page by its cursor, a photo's bytes) was made once,
     * but the ones in flight at a kill, which B may ask again (and does, since it never had their answer). The
     * account document is left out: B reads it at the start and again before each move call, on purpose.
     */
    private static void assertFetchedOnce(List<String> requests, List<String> inFlight) {
        Map<String, Integer> asked = new TreeMap<>();
        for (String request : requests) {
            if (request.startsWith("GET " + API) && !request.startsWith("GET " + API + "account")) {
                asked.merge(request.substring(4), 1, Integer::sum);
            }
        }
        Map<String, Integer> twice = new TreeMap<>();
        asked.forEach((request, times) -> {
            if (times > 1) {
                twice.put(request, times);
            }
        });
        Map<String, Integer> expected = new TreeMap<>();
        inFlight.stream()
                .filter(request -> !request.startsWith(API + "account") && !request.startsWith(API + "move"))
                .forEach(request -> expected.put(request, 2));
        assertThat(twice)
                .as(
                        "requests made more than once; only the page in flight at each kill may be asked again,"
                                + " once: %s",
                        expected.keySet())
                .isEqualTo(expected);
    }

    /**
     * An account with every kind of content, several pages of each at {@link #PAGE} items a page: posts with
     * comments and likes, photos, contacts in aspects, conversations with messages, notifications, tags followed,
     * and deletions (tombstones: posts deleted, tags unfollowed).
     */
    private static void fill(String user) throws Exception {
        a.createAccount(user);
        a.admin()
                .body(Map.of(
                        "posts", 60,
                        "commentsPerPost", 2,
                        "likesPerPost", 3,
                        "photos", 25,
                        "photoBytes", 2048,
                        "contacts", 35,
                        "conversations", 25,
                        "messagesPerConversation", 3,
                        "seed", 5))
                .post("/admin/v1/accounts/" + user + "/synthetic-content")
                .then()
                .statusCode(200);
        String session = a.logIn(user);
        for (int i = 0; i < 20; i++) {
            a.as(session)
                    .body(Map.of("tag", "crash" + i))
                    .post("/api/v1/tag-followings")
                    .then()
                    .statusCode(201);
        }
        for (int i = 0; i < 6; i++) {
            a.as(session).delete("/api/v1/tag-followings/crash" + i).then().statusCode(204);
        }
        for (String guid : PodDatabase.query(
                podA,
                "SELECT p.guid FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = '" + user
                        + "' ORDER BY p.guid LIMIT 8")) {
            a.as(session).delete("/api/v1/posts/" + guid).then().statusCode(204);
        }
        // A profile and settings of the person's own, none of them the defaults a new account starts with.
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("firstName", user);
        profile.put("lastName", "Crash");
        profile.put("bio", "moving soon");
        profile.put("location", "Lisbon");
        profile.put("birthday", "1990-04-01");
        profile.put("gender", "none of your business");
        profile.put("tags", List.of("moving", "pods"));
        profile.put("searchable", false);
        profile.put("nsfw", true);
        profile.put("publicDetails", true);
        a.as(session).body(profile).put("/api/v1/profile").then().statusCode(200);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("language", "de");
        settings.put("disableMail", true);
        settings.put("showCommunitySpotlight", true);
        settings.put("autoFollowBack", true);
        settings.put("autoFollowBackAspect", "Friends");
        settings.put("defaultPostVisibility", "aspects");
        a.as(session).body(settings).put("/api/v1/settings").then().statusCode(200);
    }

    private static Page startImport(BrowserContext context, String user) {
        return startImport(context, podB, user);
    }

    /** Starts the import of {@code user} into {@code pod} in the browser, confirms on A, and returns on the progress page. */
    private static Page startImport(BrowserContext context, PodProcess pod, String user) {
        Page page = context.newPage();
        page.navigate(pod.baseUrl() + "/import");
        BrowserImport.confirm(
                page,
                user + "@" + hostOf(proxy.baseUrl()),
                user,
                user + "@example.org",
                "copy",
                url -> url.startsWith("http://127.0.0.1:") && url.contains("/login?next="),
                user);
        page.waitForSelector("#import");
        return page;
    }

    /** Until B's job is in {@code state}; a failed import, or one waiting for consent, fails at once. */
    private static void awaitJob(String job, String state) throws Exception {
        Predicate<String> stuck = row -> row.startsWith("FAILED|") || row.startsWith("NEEDS_CONSENT|");
        Until.seen(
                "import " + job, () -> jobRow(job, "state, phase, error"), row -> row.startsWith(state + "|"), stuck);
    }

    private static String awaitEnd(PodProcess pod, String job) throws Exception {
        return Until.seen(
                "import " + job + " on " + pod.baseUrl(),
                () -> jobRow(pod, job, "state, error"),
                row -> row.startsWith("DONE|") || row.startsWith("FAILED|"));
    }

    private static String jobRow(String job, String columns) throws Exception {
        return jobRow(podB, job, columns);
    }

    private static String jobRow(PodProcess pod, String job, String columns) throws Exception {
        List<String> rows = PodDatabase.query(pod, "SELECT " + columns + " FROM import_jobs WHERE id = '" + job + "'");
        return rows.isEmpty() ? "" : rows.get(0);
    }

    private static String hostOf(String url) {
        return url.substring(url.indexOf("://") + 3);
    }
}
