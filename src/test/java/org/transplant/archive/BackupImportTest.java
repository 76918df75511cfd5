package org.transplant.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.Sha256;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PodClient;
import org.transplant.testing.PodDigest;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;
import org.transplant.testing.Until;

/**
 * A packed backup ({@code transplant-backup pack}: a zip of a backup folder and its manifest) uploaded on the import
 * page becomes an account here with the same content, as an import of the data only: no old key, no revocation, no
 * move notices, no WebFinger alias, and the job says so, with what the backup itself lacked in its report. A backup
 * that holds a key, a path out of its folder, a file its manifest does not list (or one that differs), an entry twice
 * or more than this pod unpacks is refused with nothing left behind.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BackupImportTest {

    static final String MISSING_GUID = "fedcba9876543210fedcba9876543210";

    @Inject
    Pool pool;

    @Inject
    PhotoStore photoStore;

    @Test
    void aPackedBackupBecomesAnAccountHereAsDataOnly() throws Exception {
        PodClient.signedIn("bk_old");
        ArchiveApiTest.fill("bk_old", 2);
        // The backup is the pod's own export folder, with the manifest a backup client writes: no key, a backup object.
        String folder = PodClient.admin()
                .post("/admin/v1/accounts/bk_old/export")
                .then()
                .statusCode(200)
                .extract()
                .path("folder");
        Map<String, byte[]> backup = backupOf(exports().resolve(folder));
        OwnerOnlyFiles.removeQuietly(exports().resolve(folder));
        PodDigest before = PodDigest.ofWhatMoves(this::rows, "bk_old", PodClient.handle("bk_old"));
        before.assertNoneEmpty();
        // The backup is restored as if its pod were gone: a guid here is one account's only, so the old one goes.
        gone("bk_old");

        String upload = uploadInParts(zip(backup), 16 * 1024);
        Response started = given().multiPart("upload", upload)
                // A backup is not encrypted: a password sent along is ignored.
                .multiPart("archivePassword", "not needed")
                .multiPart("username", "bk_new")
                .multiPart("email", "bk_new@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports");
        started.then().statusCode(201);
        String job = started.path("id");
        String session = started.getCookie("transplant_session");
        Until.seen(
                "the import " + job + " done",
                () -> rows("SELECT state || ':' || coalesce(error, '') FROM import_jobs WHERE id = '" + job + "'")
                        .get(0),
                state -> state.startsWith("DONE"),
                state -> state.startsWith("FAILED"));

        PodDigest.ofWhatMoves(this::rows, "bk_new", PodClient.handle("bk_new")).assertSameAs(before);
        assertThat(rows("SELECT (SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username"
                        + " = 'bk_new') || ' ' || (SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id"
                        + " JOIN accounts a ON a.id = p.account_id WHERE a.username = 'bk_new') || ' ' || (SELECT"
                        + " count(*) FROM likes l JOIN posts p ON p.id = l.post_id JOIN accounts a ON a.id ="
                        + " p.account_id WHERE a.username = 'bk_new') || ' ' || (SELECT count(*) FROM contacts c JOIN"
                        + " accounts a ON a.id = c.account_id WHERE a.username = 'bk_new')"))
                .containsExactly("4 12 8 3");
        List<String> photos = rows("SELECT p.guid || ' ' || p.file_name FROM photos p JOIN accounts a ON a.id ="
                + " p.account_id WHERE a.username = 'bk_new' ORDER BY p.guid");
        assertThat(photos).hasSize(2);
        for (String photo : photos) {
            String[] guidAndFile = photo.split(" ");
            assertThat(photoStore.resolve(guidAndFile[1]))
                    .hasBinaryContent(backup.get(FolderFormat.PHOTOS + "/" + guidAndFile[0]));
        }

        // Data only: no key kept, nothing asked of the old pod, no one told, no alias claimed.
        assertThat(rows("SELECT archive_format || ' ' || old_account || ' ' || old_account_reason || ' '"
                        + " || (old_key_sealed IS NULL) || ' ' || coalesce(notices_url, '-') FROM import_jobs WHERE"
                        + " id = '" + job + "'"))
                .containsExactly("BACKUP NOT_CLOSED backup true -");
        assertThat(rows("SELECT count(*) FROM move_notices n JOIN accounts a ON a.id = n.account_id WHERE a.username"
                        + " = 'bk_new'"))
                .containsExactly("0");
        assertThat(given().queryParam("resource", "acct:" + PodClient.handle("bk_new"))
                        .get("/.well-known/webfinger")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .doesNotContain(PodClient.handle("bk_old"));
        PodClient.as(session)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.reason", is("backup"))
                .body("oldAccount.words", containsString("This backup holds no private key, so it cannot sign a move"))
                .body("leftOut.items.key", hasItem(MISSING_GUID))
                .body("leftOut.items.reason", hasItem("Not in the backup: the pod answered 404"))
                .body("leftOut.items.reason", hasItem(containsString("This backup holds posts from 2025-06-01 on")));
        assertThat(given().cookie("transplant_session", session)
                        .accept("text/html")
                        .get("/import/" + job)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("This backup holds no private key")
                .contains(MISSING_GUID);
        assertThat(unpackedFolders())
                .as("the unpacked folder goes with the job")
                .isEmpty();
        given().get("/api/v1/archive-uploads/" + upload).then().statusCode(404);
    }

    @Test
    void aBackupHoldingAKeyIsRefused() throws Exception {
        Map<String, byte[]> backup = small();
        backup.put(FolderFormat.KEY, "-----BEGIN PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII));
        refused(withManifest(backup), "bk_key", "backup-unsafe-entry", "a backup holds no key");
    }

    @Test
    void aBackupWithAPathOutOfItsFolderIsRefused() throws Exception {
        Map<String, byte[]> backup = withManifest(small());
        backup.put("../x", "x".getBytes(StandardCharsets.UTF_8));
        refused(backup, "bk_dots", "backup-unsafe-entry", "'../x'");
        Map<String, byte[]> absolute = withManifest(small());
        absolute.put("/etc/x", "x".getBytes(StandardCharsets.UTF_8));
        refused(absolute, "bk_abs", "backup-unsafe-entry", "'/etc/x'");
    }

    @Test
    void aBackupWithAFileItsManifestDoesNotListIsRefused() throws Exception {
        Map<String, byte[]> backup = withManifest(small());
        backup.put(FolderFormat.fileOf("tombstones"), "{}\n".getBytes(StandardCharsets.UTF_8));
        refused(backup, "bk_extra", "backup-unsafe-entry", "is not in its manifest");
        Map<String, byte[]> other = withManifest(small());
        other.put("index.html", "<html>".getBytes(StandardCharsets.UTF_8));
        refused(other, "bk_html", "backup-unsafe-entry", "'index.html'");
    }

    @Test
    void aBackupWhoseFileDiffersFromItsManifestIsRefused() throws Exception {
        Map<String, byte[]> backup = withManifest(small());
        backup.put(FolderFormat.fileOf("posts"), "{\"guid\":\"changed\"}\n".getBytes(StandardCharsets.UTF_8));
        refused(backup, "bk_digest", "folder-refused", "does not match the SHA-256");
    }

    @Test
    void aBackupWithAnEntryTwiceIsRefused() throws Exception {
        Map<String, byte[]> backup = withManifest(small());
        byte[] zip = zip(backup, Map.entry(FolderFormat.ACCOUNT, backup.get(FolderFormat.ACCOUNT)));
        refusedZip(zip, "bk_twice", "backup-unsafe-entry", "twice");
    }

    @Test
    void aBackupThatUnpacksToMoreThanThisPodTakesIsRefused() throws Exception {
        // 64 MB of one byte deflate to some 60 KB: far more than 100 times the file.
        Map<String, byte[]> backup = small();
        byte[] posts = new byte[64 << 20];
        Arrays.fill(posts, (byte) ' ');
        backup.put(FolderFormat.fileOf("posts"), posts);
        refused(withManifest(backup), "bk_bomb", "backup-too-large", "more than");
    }

    @Test
    void aZipWithAManifestOfNoBackupIsRefused() throws Exception {
        Map<String, byte[]> backup = withManifest(small());
        JsonObject manifest = new JsonObject(new String(backup.get(FolderFormat.MANIFEST), StandardCharsets.UTF_8));
        manifest.remove("backup");
        backup.put(FolderFormat.MANIFEST, manifest.encode().getBytes(StandardCharsets.UTF_8));
        refused(backup, "bk_nobk", "backup-not-a-backup", "no backup object");
    }

    /**
     * The files of an export folder as a backup client leaves them: every file its manifest lists, the manifest with
     * a {@code backup} object (a span, a photo it could not fetch) and without a key.
     */
    private static Map<String, byte[]> backupOf(Path folder) throws IOException {
        JsonObject manifest = new JsonObject(Files.readString(folder.resolve(FolderFormat.MANIFEST)));
        assertThat(manifest.getJsonObject("files").fieldNames()).doesNotContain(FolderFormat.KEY);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : manifest.getJsonObject("files").fieldNames()) {
            files.put(name, Files.readAllBytes(folder.resolve(name)));
        }
        return withManifest(files, manifest);
    }

    /** A small backup: an account document and two posts (enough for every refusal before the account's check). */
    private static Map<String, byte[]> small() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(
                FolderFormat.ACCOUNT,
                "{\"handle\":\"bk@old.example\",\"guid\":\"0123456789abcdef0123456789abcdef\"}"
                        .getBytes(StandardCharsets.UTF_8));
        files.put(
                FolderFormat.fileOf("posts"),
                "{\"guid\":\"p1\",\"text\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static Map<String, byte[]> withManifest(Map<String, byte[]> files) {
        return withManifest(files, new JsonObject().put("format", FolderFormat.VERSION));
    }

    /** The manifest first (listing every file), then the files, as {@code transplant-backup pack} writes them. */
    private static Map<String, byte[]> withManifest(Map<String, byte[]> files, JsonObject manifest) {
        JsonObject listed = new JsonObject();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            listed.put(
                    file.getKey(),
                    new JsonObject().put("sha256", Sha256.hex(file.getValue())).put("size", file.getValue().length));
        }
        manifest.put("migrationFormat", "1.1")
                .put("files", listed)
                .put(
                        "backup",
                        new JsonObject()
                                .put("client", "transplant-backup/1")
                                .put("pod", "https://old.example")
                                .put("handle", "bk@old.example")
                                .put("span", "2025-06-01 to now")
                                .put("spanFrom", "2025-06-01T00:00:00Z")
                                .put("snapshot", 57)
                                .put("dataOnly", true)
                                .put(
                                        "missing",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("what", "photo")
                                                        .put("guid", MISSING_GUID)
                                                        .put("reason", "the pod answered 404"))));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(FolderFormat.MANIFEST, manifest.encodePrettily().getBytes(StandardCharsets.UTF_8));
        entries.putAll(files);
        return entries;
    }

    @SafeVarargs
    private static byte[] zip(Map<String, byte[]> entries, Map.Entry<String, byte[]>... more) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream((OutputStream) bytes)) {
            int i = 0;
            for (Map.Entry<String, byte[]> entry :
                    Stream.concat(entries.entrySet().stream(), Stream.of(more)).toList()) {
                ZipArchiveEntry zipped = new ZipArchiveEntry(entry.getKey());
                // Deflated or stored, as the client may write either.
                zipped.setMethod(i++ % 2 == 0 ? ZipArchiveEntry.DEFLATED : ZipArchiveEntry.STORED);
                if (zipped.getMethod() == ZipArchiveEntry.STORED) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(entry.getValue());
                    zipped.setSize(entry.getValue().length);
                    zipped.setCrc(crc.getValue());
                }
                zip.putArchiveEntry(zipped);
                zip.write(entry.getValue());
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private void refused(Map<String, byte[]> backup, String username, String type, String why) throws Exception {
        refusedZip(zip(backup), username, type, why);
    }

    /** Sent whole in the request, as an API client may: refused with its reason, nothing written or left behind. */
    private void refusedZip(byte[] zip, String username, String type, String why) throws Exception {
        given().multiPart("archive", "backup.zip", zip, "application/zip")
                .multiPart("username", username)
                .multiPart("email", username + "@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/" + type))
                .body("detail", containsString(why));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = '" + username + "'"))
                .containsExactly("0");
        assertThat(rows("SELECT count(*) FROM import_jobs WHERE new_handle = '" + PodClient.handle(username) + "'"))
                .containsExactly("0");
        assertThat(unpackedFolders()).isEmpty();
    }

    /** The old account is removed as if its pod had died: its guids are no one's here any more. */
    private void gone(String username) {
        rows("WITH old AS (SELECT id FROM accounts WHERE username = '" + username + "'), gone AS (DELETE FROM"
                + " conversations WHERE id IN (SELECT conversation_id FROM conversation_participants WHERE account_id"
                + " IN (SELECT id FROM old)) RETURNING id) SELECT count(*) FROM gone");
        rows("WITH gone AS (DELETE FROM accounts WHERE username = '" + username + "' RETURNING id) SELECT count(*)"
                + " FROM gone");
    }

    private static String uploadInParts(byte[] file, int partBytes) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("bytes", file.length))
                .post("/api/v1/archive-uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int first = 0; first < file.length; first += partBytes) {
            int end = Math.min(file.length, first + partBytes);
            given().contentType("application/octet-stream")
                    .header("Content-Range", "bytes " + first + "-" + (end - 1) + "/" + file.length)
                    .body(Arrays.copyOfRange(file, first, end))
                    .put("/api/v1/archive-uploads/" + id)
                    .then()
                    .statusCode(200);
        }
        return id;
    }

    private static Path exports() {
        return Path.of(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("transplant.data-dir", String.class),
                "exports");
    }

    private static List<Path> unpackedFolders() throws IOException {
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
