package org.transplant.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.Sha256;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;
import org.transplant.testing.Until;

/**
 * "Download my account" as JSON: the signed-in person asks for an archive with a password, the job writes it, and
 * the file (whole, or resumed by byte ranges) opens with that password into the account's folder with its key.
 * Only its owner sees an archive; a weak password, an unknown photo choice and an anonymous caller are refused
 * with nothing queued; an archive past its time is removed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ArchiveApiTest {

    static final String PASSWORD = "a long archive passphrase 7";

    @Inject
    Pool pool;

    @Inject
    ArchiveMaker maker;

    @TempDir
    Path dir;

    @Test
    void theOwnerAsksDownloadsInRangesAndOpensTheArchive() throws Exception {
        String session = PodClient.signedIn("arc_olga");
        fill("arc_olga", 2);

        String id = ask(session, "included").then().statusCode(202).extract().path("id");
        JsonObject ready = waitUntilReady(session, id);
        assertThat(ready.getString("photos")).isEqualTo("included");

        byte[] whole = PodClient.as(session)
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(200)
                .contentType("application/x-tar")
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment"))
                .extract()
                .asByteArray();
        assertThat((long) whole.length).isEqualTo(ready.getLong("bytes"));
        assertThat(Sha256.hex(whole)).isEqualTo(ready.getString("sha256"));
        byte[] head = range(session, id, "bytes=0-999", 206);
        byte[] tail = range(session, id, "bytes=1000-", 206);
        byte[] resumed = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, resumed, head.length, tail.length);
        assertThat(resumed).isEqualTo(whole);

        ArchiveReader.Opened opened = open(whole);
        assertThat(opened.identity().handle()).isEqualTo(PodClient.handle("arc_olga"));
        assertThat(opened.identity().publicKeyPem())
                .isEqualTo(SqlLines.of(pool, "SELECT public_key_pem FROM accounts WHERE username = 'arc_olga'")
                        .get(0));
        JsonObject manifest = new JsonObject(Files.readString(opened.folder().resolve(FolderFormat.MANIFEST)));
        assertThat(manifest.getJsonObject("files")
                        .getJsonObject(FolderFormat.fileOf("posts"))
                        .getLong("records"))
                .isEqualTo(4L);
        assertThat(photosIn(opened.folder())).hasSize(2);
        assertThat(opened.privateKeyPem()).contains("PRIVATE KEY");
        // The password is kept only while the archive is written.
        assertThat(SqlLines.of(
                        pool,
                        "SELECT count(*) FROM archives WHERE password_sealed IS NOT NULL" + " AND state = 'READY'"))
                .containsExactly("0");
    }

    @Test
    void photosLeftOutTravelAsRecordsWithoutTheirBytes() throws Exception {
        String session = PodClient.signedIn("arc_pia");
        fill("arc_pia", 2);
        String id = ask(session, "left-out").then().statusCode(202).extract().path("id");
        waitUntilReady(session, id);
        byte[] whole = PodClient.as(session)
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();

        ArchiveReader.Opened opened = open(whole);
        assertThat(opened.identity().photos()).isEqualTo(PhotoChoice.LEFT_OUT);
        assertThat(photosIn(opened.folder())).isEmpty();
        assertThat(Files.readAllLines(opened.folder().resolve(FolderFormat.fileOf("photos"))))
                .hasSize(2);
    }

    @Test
    void onlyItsOwnerSeesAnArchive() throws Exception {
        String owner = PodClient.signedIn("arc_omar");
        String stranger = PodClient.signedIn("arc_sven");
        String id = ask(owner, "included").then().statusCode(202).extract().path("id");
        waitUntilReady(owner, id);

        PodClient.as(stranger).get("/api/v1/archives/" + id).then().statusCode(404);
        PodClient.as(stranger).get("/api/v1/archives/" + id + "/file").then().statusCode(404);
        assertThat(PodClient.as(stranger)
                        .get("/api/v1/archives")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("id"))
                .doesNotContain(id);
        given().get("/api/v1/archives/" + id + "/file").then().statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("password", PASSWORD))
                .post("/api/v1/archives")
                .then()
                .statusCode(401);
    }

    @Test
    void aWeakPasswordOrAnUnknownChoiceQueuesNothing() {
        String session = PodClient.signedIn("arc_wes");
        for (Map<String, String> body : List.of(
                Map.of("password", "short1"),
                Map.of("password", "aaaaaaaaaaaaaaaa"),
                Map.of("password", "arc_wes is my long password"),
                Map.of("password", PASSWORD, "photos", "all of them", "accountPassword", PodClient.PASSWORD))) {
            PodClient.as(session)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/archives")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        assertThat(SqlLines.of(
                        pool,
                        "SELECT count(*) FROM archives r JOIN accounts a ON a.id = r.account_id"
                                + " WHERE a.username = 'arc_wes'"))
                .containsExactly("0");
    }

    @Test
    void anArchivePastItsTimeIsRemoved() throws Exception {
        String session = PodClient.signedIn("arc_eve");
        String id = ask(session, "included").then().statusCode(202).extract().path("id");
        waitUntilReady(session, id);
        Path file = archiveFile(id);
        assertThat(file).exists();
        // The folder held the private key in clear while the archive was written: the pod's user only.
        assertThat(Files.getPosixFilePermissions(file.getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        SqlLines.of(
                pool,
                "UPDATE archives SET expires_at = now() - interval '1 second' WHERE id = '" + id + "' RETURNING id");
        Until.seen(
                "the archive expired",
                () -> PodClient.as(session)
                        .get("/api/v1/archives/" + id)
                        .then()
                        .extract()
                        .path("state"),
                "EXPIRED"::equals);
        PodClient.as(session)
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(410)
                .contentType("application/problem+json");
        Until.seen("the file removed", () -> Files.exists(file), exists -> !exists);
    }

    @Test
    void aSessionAloneAsksForNoArchive() {
        // The archive holds the private key: whoever holds only the session (not the password) gets none.
        String session = PodClient.signedIn("arc_sam");
        for (Map<String, String> body : List.of(
                Map.of("password", PASSWORD),
                Map.of("password", PASSWORD, "accountPassword", "not the password at all"))) {
            PodClient.as(session)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/archives")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        assertThat(SqlLines.of(
                        pool,
                        "SELECT count(*) FROM archives r JOIN accounts a ON a.id = r.account_id"
                                + " WHERE a.username = 'arc_sam'"))
                .containsExactly("0");
    }

    @Test
    void theOwnerRemovesAnArchiveAndItsFileAndNoOneElseCan() throws Exception {
        String owner = PodClient.signedIn("arc_dora");
        String stranger = PodClient.signedIn("arc_dave");
        String id = ask(owner, "left-out").then().statusCode(202).extract().path("id");
        waitUntilReady(owner, id);
        Path file = archiveFile(id);
        assertThat(file).exists();

        PodClient.as(stranger).delete("/api/v1/archives/" + id).then().statusCode(404);
        assertThat(file).exists();
        PodClient.as(owner).delete("/api/v1/archives/" + id).then().statusCode(204);
        assertThat(file).doesNotExist();
        PodClient.as(owner).get("/api/v1/archives/" + id).then().statusCode(404);
    }

    @Test
    void anExpiredArchiveWhoseFileCannotBeRemovedYetIsRemovedLater() throws Exception {
        String session = PodClient.signedIn("arc_ella");
        String id = ask(session, "left-out").then().statusCode(202).extract().path("id");
        waitUntilReady(session, id);
        Path file = archiveFile(id);
        // A folder holding a file cannot be deleted as a file: the removal fails as a full or read-only disk would.
        Files.delete(file);
        Files.createDirectories(file.resolve("stuck"));
        SqlLines.of(
                pool,
                "UPDATE archives SET expires_at = now() - interval '1 second' WHERE id = '" + id + "' RETURNING id");

        maker.tidy().await().indefinitely();
        assertThat(state(session, id)).isEqualTo("READY");
        assertThat(file).exists();

        Files.delete(file.resolve("stuck"));
        Until.seen("the archive expired", () -> state(session, id), "EXPIRED"::equals);
        assertThat(file).doesNotExist();
    }

    @Test
    void theSweepRemovesWhatNoArchiveOwnsAndKeepsWhatOneDoes() throws Exception {
        String session = PodClient.signedIn("arc_swen");
        String id = ask(session, "left-out").then().statusCode(202).extract().path("id");
        waitUntilReady(session, id);
        Path folder = archiveFile(id).getParent();
        Path orphanWork = Files.createDirectories(folder.resolve("work-nobodysarchive000000.1/photos"));
        Path orphanPartial = Files.writeString(folder.resolve(".nobodysarchive000000.1.tar.partial"), "x");
        Path oldAttempt = Files.writeString(folder.resolve(id + ".0.tar"), "an earlier attempt");

        maker.sweep().await().indefinitely();

        assertThat(orphanWork.getParent()).doesNotExist();
        assertThat(orphanPartial).doesNotExist();
        assertThat(oldAttempt).doesNotExist();
        assertThat(archiveFile(id)).exists();
    }

    @Test
    void aJobWhoseWriterKeptDyingFailsInsteadOfBeingTakenUpForever() throws Exception {
        String session = PodClient.signedIn("arc_pete");
        SqlLines.of(
                pool,
                "INSERT INTO archives (id, account_id, state, step, photos, password_sealed, lease_owner,"
                        + " lease_until, attempts) SELECT 'poisonpoisonpoison0000', id, 'WRITING', 'exporting',"
                        + " 'included', 'sealed', 'a dead writer', now() - interval '1 second', 3"
                        + " FROM accounts WHERE username = 'arc_pete' RETURNING id");

        Until.seen("the job failed", () -> state(session, "poisonpoisonpoison0000"), "FAILED"::equals);
        assertThat(SqlLines.of(
                        pool,
                        "SELECT attempts || ' ' || (password_sealed IS NULL) FROM archives"
                                + " WHERE id = 'poisonpoisonpoison0000'"))
                .containsExactly("3 true");
    }

    private Path archiveFile(String id) {
        String attempts = SqlLines.of(pool, "SELECT attempts FROM archives WHERE id = '" + id + "'")
                .get(0);
        return Path.of(dataDir(), "archives", id + "." + attempts + ".tar");
    }

    private static String state(String session, String id) {
        return PodClient.as(session)
                .get("/api/v1/archives/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("state");
    }

    private static String dataDir() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("transplant.data-dir", String.class);
    }

    private static Response ask(String session, String photos) {
        return PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("password", PASSWORD, "photos", photos, "accountPassword", PodClient.PASSWORD))
                .post("/api/v1/archives");
    }

    private static JsonObject waitUntilReady(String session, String id) throws Exception {
        String body = Until.seen(
                "the archive " + id + " written",
                () -> PodClient.as(session)
                        .get("/api/v1/archives/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                seen -> seen.contains("\"READY\""),
                seen -> seen.contains("\"FAILED\""));
        return new JsonObject(body);
    }

    private static byte[] range(String session, String id, String range, int status) {
        return PodClient.as(session)
                .header("Range", range)
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(status)
                .extract()
                .asByteArray();
    }

    private ArchiveReader.Opened open(byte[] archive) throws IOException {
        Path file = dir.resolve("download-" + System.nanoTime() + ".tar");
        Files.write(file, archive);
        return ArchiveReader.open(
                file, PASSWORD.toCharArray(), dir.resolve("opened-" + System.nanoTime()), 1L << 30, 1L << 24);
    }

    private static List<Path> photosIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder.resolve(FolderFormat.PHOTOS))) {
            return files.toList();
        }
    }

    /** Four posts, {@code photos} photos, a few contacts and a conversation, by the admin's synthetic content. */
    static void fill(String username, int photos) {
        PodClient.admin()
                .body(Map.of(
                        "posts", 4,
                        "commentsPerPost", 3,
                        "likesPerPost", 2,
                        "photos", photos,
                        "photoBytes", 3000,
                        "contacts", 3,
                        "conversations", 1,
                        "messagesPerConversation", 3,
                        "seed", 5))
                .post("/admin/v1/accounts/" + username + "/synthetic-content")
                .then()
                .statusCode(200);
    }
}
