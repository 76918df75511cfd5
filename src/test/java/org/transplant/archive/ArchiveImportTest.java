package org.transplant.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.KeyPairs;
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
        given().get("/api/v1/archive-uploads/" + upload).then().statusCode(404);
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

    /** An archive of a new account {@code username} with some content, asked for and downloaded as its owner. */
    private byte[] archiveOf(String username, int photos) throws Exception {
        String session = PodClient.signedIn(username);
        ArchiveApiTest.fill(username, photos);
        String id = PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("password", ARCHIVE_PASSWORD, "photos", "included", "accountPassword", PodClient.PASSWORD))
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

    private static List<Path> unpackedFolders() throws Exception {
        Path exports = Path.of(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("transplant.data-dir", String.class),
                "exports");
        if (!Files.isDirectory(exports)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(exports)) {
            return folders.filter(folder -> folder.getFileName().toString().startsWith("archive-"))
                    .toList();
        }
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
