package org.transplant.e2e;

import static java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.BackupClientProcess;
import org.transplant.testing.Chromium;
import org.transplant.testing.FaultyProxy;
import org.transplant.testing.FaultyProxy.Arrival;
import org.transplant.testing.FaultyProxy.Fault;
import org.transplant.testing.FaultyProxy.Hold;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.TempFolders;
import org.transplant.testing.Until;

/**
 * The backup client as a person uses it, against a pod running as its own process (behind a proxy that counts,
 * holds and fails requests): init, consent in Chromium through the printed address, a first pull killed with SIGKILL
 * midway and resumed, the backup equal to the pod's own content within the span, an incremental pull that reads
 * only the delta and keeps what was deleted, a 429 waited out, the viewer opened from {@code file://}, and the
 * refusals (another span, a revoked authorization).
 */
class BackupClientIT {

    private static final String SINCE = "2025-06-01";
    private static final String ALICE = "(SELECT id FROM accounts WHERE username = 'alice')";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FaultyProxy proxy;
    private static PodProcess pod;
    private static PodApi api;
    private static Path dir;

    @BeforeAll
    static void startPod() throws Exception {
        proxy = FaultyProxy.start();
        // Short access tokens: every pull refreshes (and rotates) its token along the way.
        pod = PodProcess.start(
                "backup",
                "127.0.0.1",
                Map.of("TRANSPLANT_PUBLIC_URL", proxy.baseUrl(), "TRANSPLANT_OIDC_ACCESS_TOKEN_TTL", "PT20S"));
        proxy.forwardTo(pod.baseUrl());
        api = PodApi.of(pod);
        api.createAccount("alice");
        api.admin()
                .body(Map.of(
                        "posts", 300,
                        "commentsPerPost", 3,
                        "likesPerPost", 4,
                        "photos", 12,
                        "photoBytes", 20000,
                        "contacts", 40,
                        "conversations", 6,
                        "messagesPerConversation", 5,
                        "seed", 7))
                .post("/admin/v1/accounts/alice/synthetic-content")
                .then()
                .statusCode(200);
        api.createAccount("cora");
        dir = Files.createTempDirectory("backup-client-").resolve("alice");
    }

    @AfterAll
    static void stopPod() throws Exception {
        if (pod != null) {
            pod.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (dir != null) {
            TempFolders.delete(dir.getParent());
        }
    }

    /**
     * One person's backup from its start to its refusals, step by step: each step needs the folder the steps before
     * it left, as a person's runs do.
     */
    @Test
    void aPersonKeepsAnIncrementalVerifiableBackupOfTheSpanTheyChose() throws Exception {
        initRegistersAndTheConsentIsGivenInTheBrowserThroughThePrintedAddress();
        aFirstPullKilledMidwayResumesWithNothingMissingAndNothingFetchedTwice();
        anIncrementalPullReadsOnlyTheDeltaAndKeepsTheDeletedPostMarkedDeleted();
        aTooManyRequestsAnswerIsWaitedOutAsRetryAfterSays();
        theViewerOpensFromTheFileSystemWithoutAnyNetwork();
        packWritesTheFilesTheManifestListsAndNothingElse();
        aConsentForAnotherSpanIsRefusedAndLeavesTheBackupAsItWas();
        aRevokedAuthorizationStopsThePullWithWhatToDo();
    }

    private void initRegistersAndTheConsentIsGivenInTheBrowserThroughThePrintedAddress() throws Exception {
        BackupClientProcess init = BackupClientProcess.start(
                "init", proxy.baseUrl(), "--since", SINCE, "--dir", dir.toString(), "--no-browser");
        String url = init.awaitOutput(Pattern.compile("(?m)^  (http\\S+)$")).group(1);
        assertThat(url).startsWith(proxy.baseUrl() + "/oauth/authorize?").contains("code_challenge_method=S256");
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(url);
            page.waitForURL(u -> u.contains("/login"));
            page.fill("input[name=username]", "alice");
            page.fill("input[name=password]", PodApi.PASSWORD);
            page.click("button[type=submit]");
            page.waitForSelector("button[name=decision][value=allow]");
            assertThat(page.textContent(".abilities")).contains("backup");
            // The span the client proposed is filled in; the person could change it.
            assertThat(page.inputValue("input[name=span_from]")).isEqualTo(SINCE);
            page.click("button[name=decision][value=allow]");
            page.waitForURL(u -> u.startsWith("http://127.0.0.1:") && u.contains("/callback"));
            assertThat(page.textContent("body")).contains("authorized");
        }
        assertThat(init.awaitExit()).as(init.output()).isZero();
        assertThat(init.stdout()).contains("Set up the backup of alice@").contains(SINCE + " to now");
        assertThat(Files.getPosixFilePermissions(dir.resolve(".transplant-backup/credentials.json")))
                .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(dir.resolve(".transplant-backup")))
                .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE, OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(dir))
                .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE, OWNER_EXECUTE);
        // The app registered as a public native client: no secret anywhere in the folder.
        assertThat(Files.readString(dir.resolve(".transplant-backup/credentials.json")))
                .doesNotContain("client_secret")
                .contains("\"refreshToken\"");
    }

    private void aFirstPullKilledMidwayResumesWithNothingMissingAndNothingFetchedTwice() throws Exception {
        Hold hold = proxy.holdAfterExactly("/migration/v1/posts", 3);
        BackupClientProcess killed = BackupClientProcess.start("pull", "--dir", dir.toString(), "--page-size", "20");
        Until.seen(
                "the client asking for the fourth page of posts",
                () -> hold.awaitHeld(Duration.ofMillis(200)),
                held -> held,
                held -> !killed.alive());
        killed.kill();
        hold.release();
        List<String> before = postsPages(proxy.requests());
        assertThat(before).hasSize(4);

        // And the first photo's transfer breaks halfway: the client resumes it with a range.
        proxy.failNext("/migration/v1/photos/", Fault.TRUNCATE, 1);
        // Cut only once the client holds the half it was sent, so there is something to resume from.
        proxy.truncateOnceReceived((path, sent) -> {
            Path part = dir.resolve(".transplant-backup/parts").resolve(path.split("/")[4]);
            try {
                return Files.isRegularFile(part) && Files.size(part) >= sent;
            } catch (IOException e) {
                return false;
            }
        });
        int ranges = proxy.rangeRequests();
        BackupClientProcess resumed = BackupClientProcess.run("pull", "--dir", dir.toString(), "--page-size", "20");
        assertThat(resumed.exitStatus()).as(resumed.output()).isZero();
        assertThat(proxy.rangeRequests()).isGreaterThan(ranges);
        proxy.truncateOnceReceived((path, sent) -> true);
        assertThat(resumed.stderr()).contains("Resuming the pull");
        List<String> after = postsPages(proxy.requests())
                .subList(before.size(), postsPages(proxy.requests()).size());
        // The three pages answered before the kill are not asked again; the one held when it died is.
        assertThat(after).doesNotContainAnyElementsOf(before.subList(0, 3)).startsWith(before.get(3));

        assertTheBackupHoldsWhatThePodHoldsWithinTheSpan();
        JsonNode manifest = json(dir.resolve("manifest.json"));
        assertThat(manifest.path("format").asText()).isEqualTo("transplant-folder/1");
        assertThat(manifest.path("backup").path("missing")).isEmpty();
        for (var file : (Iterable<Map.Entry<String, JsonNode>>) manifest.path("files")::fields) {
            assertThat(sha256(dir.resolve(file.getKey())))
                    .as(file.getKey())
                    .isEqualTo(file.getValue().path("sha256").asText());
        }
    }

    private void anIncrementalPullReadsOnlyTheDeltaAndKeepsTheDeletedPostMarkedDeleted() throws Exception {
        String alice = api.logIn("alice");
        String cora = api.logIn("cora");
        String created = api.as(alice)
                .body(Map.of("text", "Written after the first backup", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        List<String> inSpan = PodDatabase.query(
                pod,
                "SELECT guid FROM posts WHERE account_id = " + ALICE + " AND public AND created_at >= '" + SINCE
                        + "' AND guid <> '" + created + "' ORDER BY created_at LIMIT 2");
        String deleted = inSpan.get(0);
        String commented = inSpan.get(1);
        api.as(alice).delete("/api/v1/posts/" + deleted).then().statusCode(204);
        api.as(cora)
                .body(Map.of("text", "A comment after the first backup"))
                .post("/api/v1/posts/" + commented + "/comments")
                .then()
                .statusCode(201);
        api.as(alice)
                .body(Map.of("firstName", "Alice", "lastName", "After the backup"))
                .put("/api/v1/profile")
                .then()
                .statusCode(200);

        int mark = proxy.requests().size();
        BackupClientProcess pull = BackupClientProcess.run("pull", "--dir", dir.toString());
        assertThat(pull.exitStatus()).as(pull.output()).isZero();
        List<String> migration = proxy.requests().subList(mark, proxy.requests().size()).stream()
                .filter(r -> r.contains("/migration/v1/"))
                .toList();
        // The account document and one page of each of the eight collections, each only what changed: no photo
        // fetched again, no page beyond the delta.
        assertThat(migration).as(String.join("\n", migration)).hasSize(9);
        assertThat(migration.stream().filter(r -> !r.contains("/migration/v1/account")))
                .allMatch(r -> r.contains("changedAfter="));
        assertThat(pull.stdout()).contains("changed since snapshot").contains("1 deleted (kept)");

        List<JsonNode> posts = lines(dir.resolve("posts.ndjson"));
        assertThat(posts)
                .extracting(p -> p.path("guid").asText())
                .contains(created)
                .doesNotContain(deleted);
        JsonNode withComment = posts.stream()
                .filter(p -> p.path("guid").asText().equals(commented))
                .findFirst()
                .orElseThrow();
        assertThat(withComment.path("comments").findValuesAsText("text")).contains("A comment after the first backup");
        List<JsonNode> gone = lines(dir.resolve("deleted.ndjson"));
        assertThat(gone).hasSize(1);
        assertThat(gone.get(0).path("collection").asText()).isEqualTo("posts");
        assertThat(gone.get(0).path("guid").asText()).isEqualTo(deleted);
        assertThat(gone.get(0).path("deletedAt").asText()).isNotBlank();
        assertThat(gone.get(0).path("item").path("guid").asText()).isEqualTo(deleted);
        assertThat(json(dir.resolve("account.json"))
                        .path("profile")
                        .path("lastName")
                        .asText())
                .isEqualTo("After the backup");
        assertTheBackupHoldsWhatThePodHoldsWithinTheSpan();
    }

    private void aTooManyRequestsAnswerIsWaitedOutAsRetryAfterSays() throws Exception {
        int mark = proxy.arrivals().size();
        proxy.failNext("/migration/v1/account", Fault.TOO_MANY, 1);
        BackupClientProcess pull = BackupClientProcess.run("pull", "--dir", dir.toString());
        assertThat(pull.exitStatus()).as(pull.output()).isZero();
        List<Arrival> accounts = proxy.arrivals().subList(mark, proxy.arrivals().size()).stream()
                .filter(a -> a.request().startsWith("GET /migration/v1/account"))
                .toList();
        assertThat(accounts).hasSize(2);
        // Retry-After: 1, so the second asking comes a second or more after the first, never sooner.
        assertThat(accounts.get(1).nanos() - accounts.get(0).nanos()).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(pull.stderr()).contains("429").contains("Retry-After");
    }

    private void theViewerOpensFromTheFileSystemWithoutAnyNetwork() throws Exception {
        Path index = dir.resolve("index.html");
        assertThat(index).isRegularFile();
        AtomicInteger network = new AtomicInteger();
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            context.route("**/*", route -> {
                if (!route.request().url().startsWith("file:")) {
                    network.incrementAndGet();
                    route.abort();
                } else {
                    route.resume();
                }
            });
            Page page = context.newPage();
            page.navigate(index.toUri().toString());
            assertThat(page.content()).contains("Written after the first backup");
            Files.createDirectories(Path.of("target", "screenshots"));
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "backup-viewer.png"))
                    .setFullPage(false));
        }
        assertThat(network.get()).isZero();
    }

    private void packWritesTheFilesTheManifestListsAndNothingElse() throws Exception {
        Path zip = dir.resolveSibling("alice-backup.zip");
        BackupClientProcess pack = BackupClientProcess.run("pack", "--dir", dir.toString(), "--out", zip.toString());
        assertThat(pack.exitStatus()).as(pack.output()).isZero();
        List<String> expected = new ArrayList<>();
        json(dir.resolve("manifest.json")).path("files").fieldNames().forEachRemaining(expected::add);
        expected.add("manifest.json");
        List<String> entries = new ArrayList<>();
        try (ZipFile packed = new ZipFile(zip.toFile())) {
            packed.stream().forEach(entry -> entries.add(entry.getName()));
        }
        assertThat(entries)
                .containsExactlyInAnyOrderElementsOf(expected)
                .doesNotContain("deleted.ndjson", "index.html");

        // Another pod takes the zip as data only: the content arrives, and nothing claims the old identity.
        try (PodProcess other = PodProcess.start("backup-import", "localhost", Map.of())) {
            PodApi b = PodApi.of(other);
            Response started = b.request()
                    .multiPart("archive", zip.toFile(), "application/zip")
                    .multiPart("username", "alice")
                    .multiPart("email", "alice@example.org")
                    .multiPart("password", PodApi.PASSWORD)
                    .post("/api/v1/imports");
            started.then().statusCode(201);
            String job = started.path("id");
            String session = started.getCookie("transplant_session");
            Until.seen(
                    "the backup's import done",
                    () -> b.as(session)
                            .get("/api/v1/imports/" + job)
                            .then()
                            .extract()
                            .path("state"),
                    "DONE"::equals,
                    "FAILED"::equals);
            b.as(session)
                    .get("/api/v1/imports/" + job)
                    .then()
                    .body("oldAccount.reason", is("backup"))
                    .body("oldAccount.words", containsString("no private key"));
            assertThat(PodDatabase.query(
                            other,
                            "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id"
                                    + " WHERE a.username = 'alice'"))
                    .containsExactly(
                            Integer.toString(lines(dir.resolve("posts.ndjson")).size()));
            assertThat(PodDatabase.query(other, "SELECT count(*) FROM move_notices"))
                    .containsExactly("0");
        }
    }

    private void aConsentForAnotherSpanIsRefusedAndLeavesTheBackupAsItWas() throws Exception {
        String credentials = Files.readString(dir.resolve(".transplant-backup/credentials.json"));
        BackupClientProcess init = BackupClientProcess.start(
                "init", proxy.baseUrl(), "--since", "2024-01-01", "--dir", dir.toString(), "--no-browser");
        String url = init.awaitOutput(Pattern.compile("(?m)^  (http\\S+)$")).group(1);
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(url);
            page.fill("input[name=username]", "alice");
            page.fill("input[name=password]", PodApi.PASSWORD);
            page.click("button[type=submit]");
            assertThat(page.inputValue("input[name=span_from]")).isEqualTo("2024-01-01");
            page.click("button[name=decision][value=allow]");
            page.waitForURL(u -> u.contains("/callback"));
        }
        assertThat(init.awaitExit()).as(init.output()).isEqualTo(4);
        assertThat(init.stderr()).contains("time span").contains(SINCE);
        assertThat(Files.readString(dir.resolve(".transplant-backup/credentials.json")))
                .isEqualTo(credentials);
    }

    private void aRevokedAuthorizationStopsThePullWithWhatToDo() throws Exception {
        JsonNode credentials = json(dir.resolve(".transplant-backup/credentials.json"));
        api.request()
                .contentType(ContentType.URLENC)
                .formParam("token", credentials.path("refreshToken").asText())
                .formParam("client_id", credentials.path("clientId").asText())
                .post("/oauth/revoke")
                .then()
                .statusCode(200);
        BackupClientProcess pull = BackupClientProcess.run("pull", "--dir", dir.toString());
        assertThat(pull.exitStatus()).as(pull.output()).isEqualTo(3);
        assertThat(pull.stderr()).contains("transplant-backup init");
        assertThat(dir.resolve("posts.ndjson")).isRegularFile();
    }

    /** Every collection of the backup equals what the pod holds of alice within the span, item for item. */
    private static void assertTheBackupHoldsWhatThePodHoldsWithinTheSpan() throws Exception {
        String span = "'" + SINCE + "'";
        assertThat(sorted(lines(dir.resolve("posts.ndjson")).stream()
                        .map(p -> p.path("guid").asText() + "|"
                                + md5(p.path("text").asText("")))
                        .toList()))
                .isEqualTo(PodDatabase.query(
                        pod,
                        "SELECT guid || '|' || md5(coalesce(text, '')) FROM posts WHERE account_id = " + ALICE
                                + " AND created_at >= " + span + " ORDER BY 1"))
                .isNotEmpty();
        List<String> comments = new ArrayList<>();
        List<String> likes = new ArrayList<>();
        for (JsonNode post : lines(dir.resolve("posts.ndjson"))) {
            post.path("comments").forEach(c -> comments.add(c.path("guid").asText()));
            post.path("likes").forEach(l -> likes.add(l.path("guid").asText()));
        }
        assertThat(sorted(comments))
                .isEqualTo(PodDatabase.query(
                        pod,
                        "SELECT c.guid FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = " + ALICE
                                + " AND p.created_at >= " + span + " AND c.created_at >= " + span + " ORDER BY 1"))
                .isNotEmpty();
        assertThat(sorted(likes))
                .isEqualTo(PodDatabase.query(
                        pod,
                        "SELECT l.guid FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = " + ALICE
                                + " AND p.created_at >= " + span + " AND l.created_at >= " + span + " ORDER BY 1"))
                .isNotEmpty();
        List<String> photos = new ArrayList<>();
        for (JsonNode photo : lines(dir.resolve("photos.ndjson"))) {
            String guid = photo.path("guid").asText();
            assertThat(sha256(dir.resolve("photos").resolve(guid)))
                    .isEqualTo(photo.path("sha256").asText());
            photos.add(guid + "|" + photo.path("sha256").asText());
        }
        assertThat(sorted(photos))
                .isEqualTo(PodDatabase.query(
                        pod,
                        "SELECT guid || '|' || sha256 FROM photos WHERE account_id = " + ALICE + " AND created_at >= "
                                + span + " ORDER BY 1"))
                .isNotEmpty();
        assertThat(sorted(lines(dir.resolve("contacts.ndjson")).stream()
                        .map(c -> c.path("handle").asText())
                        .toList()))
                .isEqualTo(PodDatabase.query(
                        pod,
                        "SELECT handle FROM contacts WHERE account_id = " + ALICE + " AND created_at >= " + span
                                + " ORDER BY 1"));
        assertThat(sorted(lines(dir.resolve("messages.ndjson")).stream()
                        .map(m -> m.path("guid").asText())
                        .toList()))
                .isEqualTo(PodDatabase.query(
                        pod,
                        "SELECT m.guid FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                                + " JOIN conversation_participants cp ON cp.conversation_id = c.id"
                                + " WHERE cp.account_id = " + ALICE + " AND c.created_at >= " + span
                                + " AND m.created_at >= " + span + " ORDER BY 1"));
    }

    private static List<String> postsPages(List<String> requests) {
        return requests.stream()
                .filter(r -> r.startsWith("GET /migration/v1/posts?"))
                .toList();
    }

    private static List<String> sorted(List<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(null);
        assertThat(new HashSet<>(sorted)).as("no item twice").hasSameSizeAs(sorted);
        return sorted;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return lines;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static String md5(String text) {
        return digest("MD5", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(Path file) throws IOException {
        return digest("SHA-256", Files.readAllBytes(file));
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
