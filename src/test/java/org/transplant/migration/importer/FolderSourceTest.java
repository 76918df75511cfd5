package org.transplant.migration.importer;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.PodDigest;
import org.transplant.testing.PostgresResource;

/**
 * The folder source: an account exported to a folder and imported from it into another account holds the same
 * content, collection by collection (the handle renamed); a folder whose files do not match their manifest, a
 * folder outside the exports directory, or a line longer than the cap is refused before anything is written.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class FolderSourceTest {

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    ImportSources sources;

    @Test
    void anAccountExportedToAFolderAndImportedFromItHoldsTheSameContent() throws Throwable {
        PodClient.createAccount("fold_old");
        PodClient.admin()
                .body(Map.of(
                        "posts", 6,
                        "commentsPerPost", 100,
                        "likesPerPost", 3,
                        "photos", 3,
                        "photoBytes", 3000,
                        "contacts", 5,
                        "conversations", 2,
                        "messagesPerConversation", 4,
                        "seed", 11))
                .post("/admin/v1/accounts/fold_old/synthetic-content")
                .then()
                .statusCode(200);
        // One post with more comments and likes than a post embeds on the Migration API (100): the folder's post holds
        // them all, and the folder source has no collection of a post's own to read the rest from.
        String firstPost = "(SELECT p.id, p.seq, p.created_at FROM posts p JOIN accounts a ON a.id = p.account_id"
                + " WHERE a.username = 'fold_old' ORDER BY p.id LIMIT 1) p, generate_series(1, 60) n";
        rows("WITH more AS (INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at) SELECT"
                + " md5('fold-comment-' || n), p.id, 'fan' || n || '@friends.example', 'one more ' || n, p.seq,"
                + " p.created_at + n * interval '1 second' FROM " + firstPost
                + " RETURNING 1) SELECT count(*) FROM more");
        rows("WITH more AS (INSERT INTO likes (guid, post_id, author_handle, seq, created_at) SELECT"
                + " md5('fold-like-' || n), p.id, 'fan' || n || '@friends.example', p.seq,"
                + " p.created_at + n * interval '1 second' FROM " + firstPost
                + " RETURNING 1) SELECT count(*) FROM more");
        assertEquals(
                List.of("160|63"),
                rows("SELECT (SELECT count(*) FROM comments c WHERE c.post_id = p.id), (SELECT count(*) FROM likes l"
                        + " WHERE l.post_id = p.id) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE"
                        + " a.username = 'fold_old' ORDER BY p.id LIMIT 1"));
        String folder = export("fold_old");
        PodDigest before = PodDigest.ofWhatMoves(sql -> rows(sql), "fold_old", PodClient.handle("fold_old"));
        before.assertNoneEmpty();
        // The folder is restored as if on another pod: guids here are one account's only, so the old one goes.
        rows("WITH old AS (SELECT id FROM accounts WHERE username = 'fold_old'), gone AS (DELETE FROM conversations"
                + " WHERE id IN (SELECT conversation_id FROM conversation_participants WHERE account_id IN (SELECT id"
                + " FROM old)) RETURNING id) SELECT count(*) FROM gone");
        rows("WITH gone AS (DELETE FROM accounts WHERE username = 'fold_old' RETURNING id) SELECT count(*) FROM gone");
        String job = PodClient.admin()
                .body(Map.of(
                        "folder",
                        folder,
                        "username",
                        "fold_new",
                        "email",
                        "fold_new@example.org",
                        "password",
                        PodClient.PASSWORD))
                .post("/admin/v1/imports/folder")
                .then()
                .statusCode(202)
                .extract()
                .path("jobId");
        Row end = new InTestImports(pool, secrets).awaitEnd(job);
        assertEquals("DONE", end.getString(0), "the import ended: " + end.getString(1));
        PodDigest.ofWhatMoves(sql -> rows(sql), "fold_new", PodClient.handle("fold_new"))
                .assertSameAs(before);
    }

    @Test
    void aFileThatDoesNotMatchItsManifestIsRefusedBeforeAnythingIsWritten() throws Throwable {
        PodClient.createAccount("fold_sum");
        String folder = export("fold_sum");
        Files.writeString(
                sources.folders().resolve(folder).resolve(FolderFormat.fileOf("tag-followings")),
                "{\"tag\":\"injected\",\"createdAt\":\"2020-01-01T00:00:00Z\"}\n");
        refused(folder, "fold_sum_new", 422, "does not match the SHA-256");
    }

    @Test
    void onlyTheAdminExportsOrImportsAFolder() throws Throwable {
        PodClient.createAccount("fold_who");
        String session = PodClient.logIn("fold_who");
        // Neither a stranger nor the account's own signed-in person may write folders on the pod's disk.
        for (var caller : List.of(
                RestAssured.given(),
                PodClient.as(session),
                RestAssured.given().header("Authorization", "Bearer not-the-admin-token"))) {
            caller.contentType("application/json")
                    .post("/admin/v1/accounts/fold_who/export")
                    .then()
                    .statusCode(401);
        }
        RestAssured.given()
                .contentType("application/json")
                .body(Map.of(
                        "folder",
                        "x",
                        "username",
                        "fold_who_new",
                        "email",
                        "w@example.org",
                        "password",
                        PodClient.PASSWORD))
                .post("/admin/v1/imports/folder")
                .then()
                .statusCode(401);
        try (var listed = Files.list(sources.folders())) {
            assertEquals(
                    List.of(),
                    listed.filter(p -> p.getFileName().toString().startsWith("fold_who"))
                            .toList(),
                    "no folder was written");
        } catch (NoSuchFileException none) {
            // No exports directory at all: nothing was written either.
        }
        assertEquals(List.of("0"), rows("SELECT count(*) FROM accounts WHERE username = 'fold_who_new'"));
    }

    @Test
    void aFolderOutsideTheExportsDirectoryIsRefused() throws Throwable {
        refused("../", "fold_out", 400, "exports directory");
        refused("/etc", "fold_out", 400, "exports directory");
    }

    @Test
    void aManifestNamingAFileOutsideTheFolderIsRefused() throws Throwable {
        PodClient.createAccount("fold_esc");
        String folder = export("fold_esc");
        Path manifest = sources.folders().resolve(folder).resolve(FolderFormat.MANIFEST);
        JsonObject written = new JsonObject(Files.readString(manifest));
        written.getJsonObject("files").put("../../secret", new JsonObject().put("sha256", "00"));
        Files.writeString(manifest, written.encode());
        refused(folder, "fold_esc_new", 422, "not a file of the folder");
    }

    @Test
    void aLineLongerThanTheCapIsRefusedBeforeAnythingIsWritten() throws Throwable {
        PodClient.createAccount("fold_long");
        String folder = export("fold_long");
        Path dir = sources.folders().resolve(folder);
        String line = "{\"tag\":\"" + "x".repeat(FolderFormat.MAX_LINE_BYTES) + "\"}\n";
        Files.writeString(dir.resolve(FolderFormat.fileOf("tag-followings")), line);
        Path manifest = dir.resolve(FolderFormat.MANIFEST);
        JsonObject written = new JsonObject(Files.readString(manifest));
        written.getJsonObject("files")
                .put(
                        FolderFormat.fileOf("tag-followings"),
                        new JsonObject()
                                .put("sha256", sha256(line))
                                .put("bytes", (long) line.length())
                                .put("records", 1));
        Files.writeString(manifest, written.encode());
        refused(folder, "fold_long_new", 422, "longer than");
    }

    @Test
    void aFolderClaimingSomeoneElsesHandleJoinsNoConversationOfTheirs() throws Throwable {
        // Two people of this pod talk in private; a folder says it is one of them, and names their conversation.
        PodClient.createAccount("fold_alice");
        PodClient.createAccount("fold_bob");
        String alice = PodClient.handle("fold_alice");
        rows("WITH cv AS (INSERT INTO conversations (guid, subject, author_handle, created_at) VALUES"
                + " ('f01dc0de0000000000000000000000aa', 'just us', '" + alice + "', now()) RETURNING id),"
                + " p AS (INSERT INTO conversation_participants (conversation_id, handle, account_id) SELECT cv.id,"
                + " a.username || '@localhost:8081', a.id FROM cv, accounts a WHERE a.username IN ('fold_alice',"
                + " 'fold_bob') RETURNING 1) SELECT count(*) FROM p");
        PodClient.createAccount("fold_mal");
        PodClient.admin()
                .body(Map.of("conversations", 1, "messagesPerConversation", 2, "seed", 3))
                .post("/admin/v1/accounts/fold_mal/synthetic-content")
                .then()
                .statusCode(200);
        String folder = export("fold_mal");
        Path dir = sources.folders().resolve(folder);
        JsonObject account = new JsonObject(Files.readString(dir.resolve(FolderFormat.ACCOUNT)));
        String claimed = account.getString("handle");
        rewrite(dir, FolderFormat.ACCOUNT, account.put("handle", alice).encode());
        Path conversations = dir.resolve(FolderFormat.fileOf("conversations"));
        JsonObject conversation =
                new JsonObject(Files.readAllLines(conversations).get(0));
        rewrite(
                dir,
                FolderFormat.fileOf("conversations"),
                conversation
                                .put("guid", "f01dc0de0000000000000000000000aa")
                                .encode()
                                .replace(claimed, alice)
                        + "\n");

        Row end = new InTestImports(pool, secrets).awaitEnd(importAs(folder, "fold_mal_new"));
        assertEquals("DONE", end.getString(0), "the import ended: " + end.getString(1));
        assertEquals(
                List.of("fold_alice", "fold_bob"),
                rows("SELECT a.username FROM conversation_participants p JOIN conversations cv ON cv.id ="
                        + " p.conversation_id JOIN accounts a ON a.id = p.account_id WHERE cv.guid ="
                        + " 'f01dc0de0000000000000000000000aa' ORDER BY 1"),
                "nobody joined alice's conversation");
        RestAssured.given()
                .queryParam("resource", "acct:" + PodClient.handle("fold_mal_new"))
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body(not(containsString("fold_alice")));
    }

    @Test
    void aFileTheManifestDoesNotListIsNeverRead() throws Throwable {
        PodClient.createAccount("fold_unl");
        String folder = export("fold_unl");
        Path dir = sources.folders().resolve(folder);
        Path manifest = dir.resolve(FolderFormat.MANIFEST);
        JsonObject written = new JsonObject(Files.readString(manifest));
        written.getJsonObject("files").remove(FolderFormat.fileOf("tag-followings"));
        Files.writeString(manifest, written.encode());
        Files.writeString(
                dir.resolve(FolderFormat.fileOf("tag-followings")),
                "{\"tag\":\"injected\",\"createdAt\":\"2020-01-01T00:00:00Z\"}\n");

        Row end = new InTestImports(pool, secrets).awaitEnd(importAs(folder, "fold_unl_new"));
        assertEquals("DONE", end.getString(0), "the import ended: " + end.getString(1));
        assertEquals(
                List.of("0"),
                rows("SELECT count(*) FROM tag_followings t JOIN accounts a ON a.id = t.account_id"
                        + " WHERE a.username = 'fold_unl_new'"));
    }

    @Test
    void anAccountDocumentWithoutAHandleOrInBrokenUtf8OpensNoAccount() throws Throwable {
        PodClient.createAccount("fold_doc");
        String folder = export("fold_doc");
        Path dir = sources.folders().resolve(folder);
        JsonObject account = new JsonObject(Files.readString(dir.resolve(FolderFormat.ACCOUNT)));
        rewrite(
                dir,
                FolderFormat.ACCOUNT,
                account.copy().put("handle", "not a handle").encode());
        refused(folder, "fold_doc_new", 422, "names no handle");

        byte[] broken = account.encode().replace("fold_doc", "fold_d\u00e9c").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve(FolderFormat.ACCOUNT), broken);
        relist(
                dir,
                FolderFormat.ACCOUNT,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(broken)),
                broken.length);
        refused(folder, "fold_doc_new", 422, "UTF-8");
    }

    /** Writes a file of the folder and lists its new SHA-256 and size in the manifest. */
    private static void rewrite(Path dir, String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content);
        relist(dir, name, sha256(content), content.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void relist(Path dir, String name, String sha256, long bytes) throws Exception {
        Path manifest = dir.resolve(FolderFormat.MANIFEST);
        JsonObject written = new JsonObject(Files.readString(manifest));
        written.getJsonObject("files").getJsonObject(name).put("sha256", sha256).put("bytes", bytes);
        Files.writeString(manifest, written.encode());
    }

    private static String importAs(String folder, String username) {
        return startImport(folder, username).then().statusCode(202).extract().path("jobId");
    }

    /** The admin's folder import of {@code folder} into a new account {@code username}. */
    private static io.restassured.response.Response startImport(String folder, String username) {
        return PodClient.admin()
                .body(Map.of(
                        "folder",
                        folder,
                        "username",
                        username,
                        "email",
                        username + "@example.org",
                        "password",
                        PodClient.PASSWORD))
                .post("/admin/v1/imports/folder");
    }

    private String export(String username) {
        return PodClient.admin()
                .post("/admin/v1/accounts/" + username + "/export")
                .then()
                .statusCode(200)
                .extract()
                .path("folder");
    }

    private void refused(String folder, String username, int status, String why) throws Throwable {
        startImport(folder, username).then().statusCode(status).body("detail", containsString(why));
        assertEquals(
                List.of("0"),
                rows("SELECT count(*) FROM accounts WHERE username = '" + username + "'"),
                "no account was opened");
    }

    private List<String> rows(String sql) throws Exception {
        try {
            return read(sql);
        } catch (Exception e) {
            throw e;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> read(String sql) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.query(sql)
                .execute()
                .map(result -> {
                    List<String> lines = new ArrayList<>();
                    for (Row row : result) {
                        StringBuilder line = new StringBuilder();
                        for (int i = 0; i < row.size(); i++) {
                            line.append(i > 0 ? "|" : "").append(row.getValue(i));
                        }
                        lines.add(line.toString());
                    }
                    return lines;
                }));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
