package org.transplant.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.transplant.federation.MoveOutbox;
import org.transplant.migration.importer.OpenedArchives;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.testing.PodClient;
import org.transplant.testing.PodDigest;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;
import org.transplant.testing.Until;

/**
 * "Import an archive" as JSON: an archive of an account whose pod is gone, uploaded in parts, becomes an account here
 * with the same content, through the folder pipeline, after a wrong password was refused and retried. Archives the
 * network knows otherwise (another key for the handle, an account that moved already) and uploads out of order or
 * out of bounds are refused with nothing written.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ArchiveImportTest {

    static final String ARCHIVE_PASSWORD = "a long archive passphrase 9";

    @Inject
    Pool pool;

    @Inject
    OpenedArchives opened;

    @Inject
    MoveOutbox outbox;

    @Inject
    PrivateKeyVault vault;

    @Test
    void anArchiveOfAGoneAccountUploadedInPartsBecomesAnAccountHere() throws Exception {
        byte[] archive = archiveOf("imp_old", 2);
        PodDigest before = PodDigest.ofWhatMoves(this::rows, "imp_old", PodClient.handle("imp_old"));
        before.assertNoneEmpty();
        gone("imp_old");

        String upload = uploadInParts(archive, 16 * 1024);
        startImport(upload, "not the archive's password", "imp_new")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/archive-wrong-password"));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'imp_new'"))
                .containsExactly("0");
        assertThat(unpackedFolders()).isEmpty();

        // The upload stays for another try of the password.
        Response started = startImport(upload, ARCHIVE_PASSWORD, "imp_new");
        started.then().statusCode(201);
        String job = started.path("id");
        String session = started.getCookie("transplant_session");
        assertThat(session).as("the new account is signed in").isNotNull();

        Until.seen(
                "the import " + job + " done",
                () -> rows("SELECT state || ':' || coalesce(error, '') FROM import_jobs WHERE id = '" + job + "'")
                        .get(0),
                state -> state.startsWith("DONE"),
                state -> state.startsWith("FAILED"));
        PodDigest.ofWhatMoves(this::rows, "imp_new", PodClient.handle("imp_new"))
                .assertSameAs(before);
        // The signature proved the old identity: WebFinger names it, as after a move from a live pod.
        assertThat(given().queryParam("resource", "acct:" + PodClient.handle("imp_new"))
                        .get("/.well-known/webfinger")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("acct:" + PodClient.handle("imp_old"));
        assertThat(unpackedFolders())
                .as("the unpacked folder goes with the job")
                .isEmpty();
        // Its old pod (this one) no longer knows the account: the person is told to close it by hand.
        PodClient.as(session)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.state", org.hamcrest.Matchers.is("not_closed"))
                .body("oldAccount.reason", org.hamcrest.Matchers.is("not-known"));
        given().get("/api/v1/archive-uploads/" + upload).then().statusCode(404);
    }

    @Test
    void linkedPhotosStayOnTheOldPodAndTheNewAccountLinksThem() throws Exception {
        byte[] archive = archiveOf("imp_lnk", 2, "linked");
        List<String> guids = rows("SELECT p.guid FROM photos p JOIN accounts a ON a.id = p.account_id WHERE"
                + " a.username = 'imp_lnk' ORDER BY p.guid");
        assertThat(guids).hasSize(2);
        gone("imp_lnk");

        Response started = startImport(uploadInParts(archive, 1 << 20), ARCHIVE_PASSWORD, "imp_lnk_new");
        started.then().statusCode(201);
        String job = started.path("id");
        Until.seen(
                "the import " + job + " done",
                () -> rows("SELECT state FROM import_jobs WHERE id = '" + job + "'")
                        .get(0),
                "DONE"::equals,
                "FAILED"::equals);
        assertThat(rows("SELECT p.guid || ' ' || coalesce(p.file_name, '-') || ' ' || p.remote_url FROM photos p"
                        + " JOIN accounts a ON a.id = p.account_id WHERE a.username = 'imp_lnk_new' ORDER BY p.guid"))
                .containsExactlyElementsOf(guids.stream()
                        .map(guid -> guid + " - http://localhost:8081/photos/" + guid)
                        .toList());
    }

    @Test
    void anArchiveSignedByAnotherKeyThanTheHandleIsKnownByIsRefused() throws Exception {
        byte[] archive = archiveOf("imp_key", 0);
        gone("imp_key");
        String other = KeyPairs.generate(2048, ArchiveFixture.RANDOM).publicKeyPem();
        rows("INSERT INTO person_keys (handle, public_key_pem) VALUES ('" + PodClient.handle("imp_key") + "', '" + other
                + "') RETURNING handle");

        startImport(uploadInParts(archive, 1 << 20), ARCHIVE_PASSWORD, "imp_key_new")
                .then()
                .statusCode(422)
                .body("type", endsWith("/archive-bad-signature"));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'imp_key_new'"))
                .containsExactly("0");
        assertThat(unpackedFolders()).isEmpty();
    }

    @Test
    void anArchiveOfAnAccountThatMovedAlreadyIsRefused() throws Exception {
        byte[] archive = archiveOf("imp_mov", 0);
        rows("UPDATE accounts SET state = 'MOVED', moved_to = 'imp_mov@elsewhere.example' WHERE username = 'imp_mov'"
                + " RETURNING id");

        // Sent whole, in the request itself.
        given().multiPart("archive", "archive.tar", archive, "application/x-tar")
                .multiPart("archivePassword", ARCHIVE_PASSWORD)
                .multiPart("username", "imp_mov_new")
                .multiPart("email", "imp_mov_new@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports")
                .then()
                .statusCode(422)
                .body("type", endsWith("/archive-already-moved"));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'imp_mov_new'"))
                .containsExactly("0");
        assertThat(unpackedFolders()).isEmpty();
    }

    @Test
    void anImportSentFromAnotherSiteIsRefused() {
        // A foreign page could post this form and sign its visitor into an account of its own choosing.
        for (Map.Entry<String, String> header : Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
                .entrySet()) {
            given().header(header.getKey(), header.getValue())
                    .multiPart("upload", "whatever0000000000000")
                    .multiPart("archivePassword", ARCHIVE_PASSWORD)
                    .multiPart("username", "imp_csrf")
                    .multiPart("email", "imp_csrf@example.org")
                    .multiPart("password", PodClient.PASSWORD)
                    .post("/api/v1/imports")
                    .then()
                    .statusCode(403)
                    .body("type", endsWith("/cross-site"));
        }
    }

    @Test
    void uploadsOutOfOrderOrOutOfBoundsAreRefused() throws Exception {
        byte[] bytes = new byte[3000];
        ArchiveFixture.RANDOM.nextBytes(bytes);
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("bytes", bytes.length))
                .post("/api/v1/archive-uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        part(id, bytes, 1000, 2000).then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("0"));
        part(id, Arrays.copyOfRange(bytes, 0, 999), 0, 1000, bytes.length)
                .then()
                .statusCode(400);
        part(id, bytes, 0, 1000).then().statusCode(200);
        part(id, Arrays.copyOfRange(bytes, 1000, 1500), 1000, 1500, 9999).then().statusCode(400);
        given().get("/api/v1/archive-uploads/" + id)
                .then()
                .statusCode(200)
                .body("received", org.hamcrest.Matchers.is(1000));
        startImport(id, ARCHIVE_PASSWORD, "imp_half").then().statusCode(409);
        given().get("/api/v1/archive-uploads/not-an-upload-of-ours0").then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("bytes", 1L << 40))
                .post("/api/v1/archive-uploads")
                .then()
                .statusCode(413);
        given().delete("/api/v1/archive-uploads/" + id).then().statusCode(204);
        given().get("/api/v1/archive-uploads/" + id).then().statusCode(404);
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'imp_half'"))
                .containsExactly("0");
    }

    @Test
    void anArchiveOfAnAccountThisPodWasToldMovedIsRefused() throws Exception {
        byte[] archive = archiveOf("imp_told", 0);
        gone("imp_told");
        // A move notice this pod took earlier: an old archive of the same account is a replay.
        rows("INSERT INTO moved_people (old_handle, new_handle, new_public_key_pem, old_public_key_pem, notice_id,"
                + " moved_at) VALUES ('" + PodClient.handle("imp_told") + "', 'imp_told@elsewhere.example', 'k', 'k',"
                + " gen_random_uuid(), now()) RETURNING old_handle");

        startImport(uploadInParts(archive, 1 << 20), ARCHIVE_PASSWORD, "imp_told_new")
                .then()
                .statusCode(422)
                .body("type", endsWith("/archive-already-moved"));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'imp_told_new'"))
                .containsExactly("0");
        assertThat(unpackedFolders()).isEmpty();
    }

    @Test
    void anImportCalledOffTakesItsOpenedArchiveWithIt() throws Exception {
        String session = PodClient.signedIn("imp_off");
        Path folder = opened("opened-archive-calledoff0000000000000");
        rows("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, source_folder, photo_mode, state,"
                + " from_archive) SELECT 'imp-off-job', id, 'imp_off@gone.example', '" + PodClient.handle("imp_off")
                + "', '" + folder.getFileName() + "', 'COPY', 'REQUESTED', true FROM accounts WHERE username ="
                + " 'imp_off' RETURNING id");

        PodClient.as(session)
                .post("/api/v1/imports/imp-off-job/abort")
                .then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.is("ABORTED"));
        assertThat(folder).doesNotExist();
    }

    @Test
    void aPersonWhoKeepsTheOldAccountOpenLeavesNoRevocationBehind() {
        String session = PodClient.signedIn("imp_keep");
        rows("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, source_folder, photo_mode, state,"
                + " from_archive, old_account, old_key_sealed) SELECT 'imp-keep-job', id, 'imp_keep@old.example',"
                + " '" + PodClient.handle("imp_keep") + "', 'opened-archive-kept000000000000', 'COPY', 'DONE', true,"
                + " 'NEWER_CHANGES', 'a sealed key' FROM accounts WHERE username = 'imp_keep' RETURNING id");
        PodClient.as(session)
                .get("/api/v1/imports/imp-keep-job")
                .then()
                .statusCode(200)
                .body("oldAccount.state", org.hamcrest.Matchers.is("newer_changes"))
                .body("oldAccount.choosing", org.hamcrest.Matchers.is(true));
        // Another account cannot choose for it.
        PodClient.as(PodClient.signedIn("imp_keep_other"))
                .body(Map.of("close", true))
                .post("/api/v1/imports/imp-keep-job/old-account")
                .then()
                .statusCode(404);

        PodClient.as(session)
                .body(Map.of("close", false))
                .post("/api/v1/imports/imp-keep-job/old-account")
                .then()
                .statusCode(200)
                .body("oldAccount.state", org.hamcrest.Matchers.is("kept_open"));
        assertThat(rows("SELECT coalesce(old_key_sealed, '-') FROM import_jobs WHERE id = 'imp-keep-job'"))
                .as("the old key is forgotten with the choice")
                .containsExactly("-");
        PodClient.as(session)
                .body(Map.of("close", true))
                .post("/api/v1/imports/imp-keep-job/old-account")
                .then()
                .statusCode(409)
                .body("type", endsWith("/nothing-to-choose"));

        // The progress page offers the same choice as a form.
        rows("UPDATE import_jobs SET old_account = 'NEWER_CHANGES', old_key_sealed = 'a sealed key' WHERE id ="
                + " 'imp-keep-job' RETURNING id");
        String page = given().cookie("transplant_session", session)
                .accept("text/html")
                .get("/import/imp-keep-job")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("id=\"close-old-account\"").contains("id=\"keep-old-account\"");
        String csrf = PodClient.csrf();
        given().redirects()
                .follow(false)
                .cookie("transplant_session", session)
                .cookie("transplant_csrf", csrf)
                .formParam("csrf", csrf)
                .formParam("close", "false")
                .post("/import/imp-keep-job/old-account")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/import/imp-keep-job"));
        assertThat(rows("SELECT old_account || ' ' || coalesce(old_key_sealed, '-') FROM import_jobs WHERE id ="
                        + " 'imp-keep-job'"))
                .containsExactly("KEPT_OPEN -");
        assertThat(given().cookie("transplant_session", session)
                        .accept("text/html")
                        .get("/import/imp-keep-job")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .doesNotContain("id=\"close-old-account\"")
                .contains("You kept your old account open");
    }

    @Test
    void theSweepRemovesOpenedArchivesNoRunningImportReads() throws Exception {
        PodClient.signedIn("imp_sweep");
        Path read = opened("opened-archive-stillread00000000000000");
        Path orphan = opened("opened-archive-orphaned00000000000000");
        Path fresh = opened("opened-archive-beingopened000000000000");
        Path notOurs = opened("someones-folder");
        rows("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, source_folder, photo_mode, state,"
                + " from_archive) SELECT 'imp-sweep-job', id, 'imp_sweep@gone.example', '"
                + PodClient.handle("imp_sweep") + "', '" + read.getFileName() + "', 'COPY', 'REQUESTED', true FROM"
                + " accounts WHERE username = 'imp_sweep' RETURNING id");
        Instant settled = Instant.now().plusSeconds(60);
        for (Path folder : List.of(read, orphan, notOurs)) {
            Files.setLastModifiedTime(folder.resolve("posts.ndjson"), FileTime.from(settled.minusSeconds(3600)));
            Files.setLastModifiedTime(folder, FileTime.from(settled.minusSeconds(3600)));
        }

        opened.sweep(settled.minusSeconds(1800)).await().indefinitely();

        assertThat(orphan).as("no import reads it").doesNotExist();
        assertThat(read).as("a job under way reads it").exists();
        assertThat(fresh).as("written in just now: an archive being opened").exists();
        assertThat(notOurs).as("not an opened archive").exists();
        rows("UPDATE import_jobs SET state = 'ABORTED' WHERE id = 'imp-sweep-job' RETURNING id");
        for (Path folder : List.of(read, fresh, notOurs)) {
            org.transplant.pod.crypto.OwnerOnlyFiles.removeQuietly(folder);
        }
    }

    @Test
    void anArchivesMoveNoticeGoesToAtMostSoManyPods() {
        PodClient.signedIn("imp_pods");
        long account = Long.parseLong(
                rows("SELECT id FROM accounts WHERE username = 'imp_pods'").get(0));
        int named = MoveOutbox.ARCHIVE_PODS + 25;
        rows("INSERT INTO contacts (account_id, handle, following, seq) SELECT " + account
                + ", 'c' || n || '@pod' || n || '.example', true, n FROM generate_series(1, " + named
                + ") n RETURNING id");
        KeyPairs.PemKeyPair oldKey = KeyPairs.generate(2048, ArchiveFixture.RANDOM);
        AtomicLong told = new AtomicLong();
        // Counted inside the transaction, which is then rolled back: no pod is really told.
        assertThatThrownBy(() -> pool.withTransaction(c -> outbox.enqueueForArchive(
                                        c,
                                        new MoveOutbox.Move(
                                                account,
                                                "imp_pods",
                                                vault.seal(oldKey.privateKeyPem()),
                                                Handle.parse("new", PodClient.handle("imp_pods")),
                                                oldKey.publicKeyPem(),
                                                "http://localhost:8081/u/imp_pods",
                                                Instant.now()),
                                        Handle.parse("old", "imp_pods@gone.example"))
                                .chain(ignored -> c.query("SELECT count(*) FROM move_deliveries d JOIN move_notices n"
                                                + " ON n.id = d.notice_id WHERE n.account_id = " + account)
                                        .execute())
                                .invoke(rows -> told.set(rows.iterator().next().getLong(0)))
                                .chain(ignored -> Uni.createFrom().failure(new IllegalStateException("roll back"))))
                        .await()
                        .indefinitely())
                .hasMessage("roll back");
        assertThat(told.get()).isEqualTo(MoveOutbox.ARCHIVE_PODS);
    }

    /** A folder as an opened archive leaves it under the exports directory, with a file in it. */
    private Path opened(String name) throws Exception {
        Path folder = org.transplant.pod.crypto.OwnerOnlyFiles.folder(exports().resolve(name));
        Files.writeString(folder.resolve("posts.ndjson"), "{}\n");
        return folder;
    }

    /** An archive of a new account {@code username} with some content, asked for and downloaded as its owner. */
    private byte[] archiveOf(String username, int photos) throws Exception {
        return archiveOf(username, photos, "included");
    }

    private byte[] archiveOf(String username, int photos, String choice) throws Exception {
        String session = PodClient.signedIn(username);
        ArchiveApiTest.fill(username, photos);
        String id = PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("password", ARCHIVE_PASSWORD, "photos", choice, "accountPassword", PodClient.PASSWORD))
                .post("/api/v1/archives")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Until.seen(
                "the archive written",
                () -> PodClient.as(session)
                        .get("/api/v1/archives/" + id)
                        .then()
                        .extract()
                        .path("state"),
                "READY"::equals,
                "FAILED"::equals);
        return PodClient.as(session)
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
    }

    /** The old account is removed as if its pod had died: its guids are no one's here any more. */
    private void gone(String username) throws Exception {
        rows("WITH old AS (SELECT id FROM accounts WHERE username = '" + username + "'), gone AS (DELETE FROM"
                + " conversations WHERE id IN (SELECT conversation_id FROM conversation_participants WHERE account_id"
                + " IN (SELECT id FROM old)) RETURNING id) SELECT count(*) FROM gone");
        rows("WITH gone AS (DELETE FROM accounts WHERE username = '" + username + "' RETURNING id) SELECT count(*)"
                + " FROM gone");
    }

    private static String uploadInParts(byte[] archive, int partBytes) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("bytes", archive.length))
                .post("/api/v1/archive-uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int first = 0; first < archive.length; first += partBytes) {
            int end = Math.min(archive.length, first + partBytes);
            part(id, archive, first, end).then().statusCode(200);
        }
        return id;
    }

    private static Response part(String id, byte[] archive, int first, int end) {
        return part(id, Arrays.copyOfRange(archive, first, end), first, end, archive.length);
    }

    private static Response part(String id, byte[] part, long first, long end, long total) {
        return given().contentType("application/octet-stream")
                .header("Content-Range", "bytes " + first + "-" + (end - 1) + "/" + total)
                .body(part)
                .put("/api/v1/archive-uploads/" + id);
    }

    private static Response startImport(String upload, String archivePassword, String username) {
        RequestSpecification request = given().multiPart("upload", upload)
                .multiPart("archivePassword", archivePassword)
                .multiPart("username", username)
                .multiPart("email", username + "@example.org")
                .multiPart("password", PodClient.PASSWORD);
        return request.post("/api/v1/imports");
    }

    private static Path exports() {
        return Path.of(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("transplant.data-dir", String.class),
                "exports");
    }

    private static List<Path> unpackedFolders() throws Exception {
        Path exports = exports();
        if (!Files.isDirectory(exports)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(exports)) {
            return folders.filter(folder -> folder.getFileName().toString().startsWith("opened-archive-"))
                    .toList();
        }
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
