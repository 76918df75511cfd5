package org.transplant.diaspora;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * A diaspora* export is refused, naming what is wrong and writing nothing (no account, no job, no folder), when it is
 * not one diaspora* would take (its schema's required parts, its version, its JSON, its gzip, its key) or when the
 * network knows its identity otherwise (its pod serves another key, this pod holds another, it moved). An old pod
 * that serves the same key proves the identity; one that no longer knows the person makes it a data import only.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DiasporaRefusalsTest {

    @Inject
    Pool pool;

    @Test
    void anExportMissingWhatDiasporaRequiresIsRefusedNamingIt() throws Exception {
        refused(DiasporaExports.changed(d -> d.remove("version")), "diaspora-missing", "version");
        refused(DiasporaExports.changed(d -> d.put("version", "1.0")), "diaspora-unknown-version", "1.0");
        refused(DiasporaExports.changed(d -> d.remove("user")), "diaspora-missing", "user");
        refused(DiasporaExports.changed(d -> DiasporaExports.user(d).remove("profile")), "diaspora-missing", "profile");
        refused(
                DiasporaExports.changed(d -> DiasporaExports.user(d).remove("private_key")),
                "diaspora-missing",
                "private_key");
        refused(
                DiasporaExports.changed(
                        d -> DiasporaExports.user(d).put("private_key", "-----BEGIN RSA PRIVATE KEY-----")),
                "diaspora-bad-key",
                "private key");
        refused(
                DiasporaExports.changed(d -> DiasporaExports.user(d).put("username", "someone_else")),
                "diaspora-malformed",
                "not of its user");
    }

    @Test
    void brokenFilesAreRefused() throws Exception {
        byte[] whole = DiasporaExports.JSON.writeValueAsBytes(DiasporaExports.example());
        // Cut in the middle of an object, then gzipped whole.
        refused(gzip(java.util.Arrays.copyOf(whole, whole.length / 2)), "diaspora-malformed", "line");
        // A gzip that ends too soon.
        byte[] gz = Files.readAllBytes(DiasporaExports.EXAMPLE);
        refused(file(java.util.Arrays.copyOf(gz, gz.length / 2), ".json.gz"), "diaspora-damaged", "ends too soon");
        // Neither an archive nor an export.
        refused(file("hello, pod".getBytes(StandardCharsets.UTF_8), ".txt"), "archive-unknown-format", "neither");
        // A zip of two exports.
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (String name : List.of("a.json", "b.json")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(whole);
            }
        }
        refused(file(zip.toByteArray(), ".zip"), "diaspora-damaged", "more than one");
        // A photos file that is no zip.
        Path export = DiasporaExports.changed(d -> {});
        given().multiPart("archive", export.toFile(), "application/gzip")
                .multiPart(
                        "photos",
                        file("not a zip".getBytes(StandardCharsets.UTF_8), ".zip")
                                .toFile(),
                        "application/zip")
                .multiPart("username", "dia_refused")
                .multiPart("email", "dia_refused@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports")
                .then()
                .statusCode(422)
                .body("type", endsWith("/diaspora-photos-damaged"));
        assertNothingWritten();
    }

    @Test
    void anIdentityTheNetworkKnowsOtherwiseIsRefused() throws Exception {
        String other = KeyPairs.generate(2048, new java.security.SecureRandom()).publicKeyPem();
        rows("INSERT INTO person_keys (handle, public_key_pem) VALUES ('ana@oldpod.example', '" + other + "')"
                + " ON CONFLICT (handle) DO UPDATE SET public_key_pem = EXCLUDED.public_key_pem RETURNING 1");
        refused(DiasporaExports.changed(d -> {}), "archive-bad-signature", "ana@oldpod.example");
        rows("DELETE FROM person_keys WHERE handle = 'ana@oldpod.example' RETURNING 1");

        rows("INSERT INTO moved_people (old_handle, new_handle, new_public_key_pem, old_public_key_pem, notice_id,"
                + " moved_at) VALUES ('ana@oldpod.example', 'ana@elsewhere.example', 'k', 'k', gen_random_uuid(),"
                + " now()) RETURNING 1");
        try {
            refused(DiasporaExports.changed(d -> {}), "archive-already-moved", "moved already");
        } finally {
            rows("DELETE FROM moved_people WHERE old_handle = 'ana@oldpod.example' RETURNING 1");
        }

        // The old pod, alive, serves another key in its hCard.
        try (OldPod pod = OldPod.start(other)) {
            refused(
                    DiasporaExports.changed(d -> DiasporaExports.ownedBy(d, pod.handle("ana"))),
                    "archive-bad-signature",
                    "not the one");
        }
    }

    @Test
    void aLivePodServingTheSameKeyProvesTheIdentityAndOneThatForgotItMakesADataImport() throws Exception {
        try (OldPod pod = OldPod.start(DiasporaExports.ownerKey())) {
            String job =
                    imported(DiasporaExports.changed(d -> DiasporaExports.ownedBy(d, pod.handle("ana"))), "dia_proven");
            assertThat(rows("SELECT old_key_matched || ' ' || old_account || ' ' || old_account_reason FROM"
                            + " import_jobs WHERE id = '" + job + "'"))
                    .containsExactly("true NOT_CLOSED diaspora-pod");
            // The old identity is proven: WebFinger names it.
            assertThat(given().queryParam("resource", "acct:" + PodClient.handle("dia_proven"))
                            .get("/.well-known/webfinger")
                            .asString())
                    .contains("acct:" + pod.handle("ana"));
        }
        try (OldPod pod = OldPod.start(null)) {
            String job =
                    imported(DiasporaExports.changed(d -> DiasporaExports.ownedBy(d, pod.handle("ana"))), "dia_data");
            assertThat(rows("SELECT old_key_matched || ' ' || old_account || ' ' || old_account_reason || ' '"
                            + " || (notices_url IS NULL) || ' ' || (old_key_sealed IS NULL) FROM import_jobs WHERE id = '"
                            + job + "'"))
                    .containsExactly("false NOT_CLOSED data-only true true");
            // A data import claims nothing: WebFinger does not name the handle its old pod no longer knows.
            assertThat(given().queryParam("resource", "acct:" + PodClient.handle("dia_data"))
                            .get("/.well-known/webfinger")
                            .asString())
                    .doesNotContain(pod.handle("ana"));
            assertThat(rows("SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username ="
                            + " 'dia_data'"))
                    .containsExactly("30");
        }
    }

    @Test
    void anAuthorsKeyServedByTheirPodWinsOverTheExports() throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        KeyPairs.PemKeyPair inExport = KeyPairs.generate(2048, random);
        KeyPairs.PemKeyPair served = KeyPairs.generate(2048, random);
        String guid = "c0mment0f0b0b0nth3stubp0d";
        for (KeyPairs.PemKeyPair podKey : List.of(served, inExport)) {
            try (OldPod authorsPod = OldPod.start(podKey.publicKeyPem())) {
                String bob = authorsPod.handle("bob");
                Path export = DiasporaExports.changed(d -> {
                    ObjectNode contact =
                            DiasporaExports.user(d).withArray("contacts").addObject();
                    contact.put("sharing", true)
                            .put("receiving", true)
                            .put("following", true)
                            .put("followed", true);
                    contact.put("account_id", bob).put("person_name", "Bob").put("public_key", inExport.publicKeyPem());
                    contact.putArray("contact_groups_membership");
                    ObjectNode comment = ((com.fasterxml.jackson.databind.node.ArrayNode)
                                    d.at("/others_data/relayables"))
                            .addObject();
                    comment.put("entity_type", "comment");
                    ObjectNode data = comment.putObject("entity_data");
                    data.put("author", bob).put("guid", guid).put("parent_guid", "598c0060462c01321bfc1def1d83d893");
                    data.put("text", "Signed by the key in the export").put("created_at", "2020-01-01T00:00:00Z");
                    List<String> order = List.of("author", "guid", "parent_guid", "text", "created_at");
                    comment.putArray("property_order")
                            .addAll(order.stream()
                                    .map(com.fasterxml.jackson.databind.node.TextNode::valueOf)
                                    .toList());
                    data.put(
                            "author_signature",
                            RelayableSignature.sign(
                                    RelayableSignature.signedText(data, order),
                                    KeyPairs.parsePrivateKey(inExport.privateKeyPem())));
                });
                String job = imported(export, podKey == served ? "dia_served" : "dia_same");
                List<String> reported =
                        rows("SELECT item_key || ' ' || reason FROM import_left_out WHERE job_id = '" + job + "'");
                if (podKey == served) {
                    // The pod's key wins: the comment made with the export's key is left out, and the person told.
                    assertThat(rows("SELECT count(*) FROM comments WHERE guid = '" + guid + "'"))
                            .containsExactly("0");
                    assertThat(reported)
                            .contains(guid + " its author's signature does not verify: it was altered or forged")
                            .anyMatch(line -> line.startsWith(bob + " the export gives another key"));
                } else {
                    assertThat(rows("SELECT count(*) FROM comments WHERE guid = '" + guid + "'"))
                            .containsExactly("1");
                    assertThat(reported).noneMatch(line -> line.startsWith(bob + " "));
                }
            }
        }
    }

    private String imported(Path export, String username) throws Exception {
        DiasporaExampleImportTest.freeTheExample(pool);
        Response started = DiasporaExampleImportTest.start(export, username);
        String job = DiasporaExports.done(pool, started);
        return job;
    }

    private void refused(Path export, String type, String named) throws Exception {
        ValidatableResponse answer = DiasporaExampleImportTest.start(export, "dia_refused")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/" + type))
                .body("detail", containsString(named));
        assertNothingWritten();
    }

    private void assertNothingWritten() throws Exception {
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'dia_refused'"))
                .containsExactly("0");
        assertThat(rows("SELECT count(*) FROM import_jobs WHERE new_handle = '" + PodClient.handle("dia_refused")
                        + "'"))
                .containsExactly("0");
        Path exports = DiasporaExampleImportTest.exports();
        if (Files.isDirectory(exports)) {
            try (Stream<Path> folders = Files.list(exports)) {
                assertThat(folders.filter(f -> f.getFileName().toString().startsWith("opened-archive-")))
                        .as("no converted folder is left")
                        .isEmpty();
            }
        }
    }

    private static Path gzip(byte[] bytes) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return file(out.toByteArray(), ".json.gz");
    }

    private static Path file(byte[] bytes, String suffix) throws java.io.IOException {
        Path file = Files.createTempFile("upload-", suffix);
        Files.write(file, bytes);
        return file;
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }

    /**
     * A live diaspora* pod on this machine: WebFinger links the person's hCard, which holds {@code key}; with no key
     * it knows no one (404).
     */
    static final class OldPod implements AutoCloseable {
        private final HttpServer server;

        private OldPod(HttpServer server) {
            this.server = server;
        }

        static OldPod start(String key) throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String host = "127.0.0.1:" + server.getAddress().getPort();
            server.createContext("/.well-known/webfinger", exchange -> {
                String query = exchange.getRequestURI().getQuery();
                String subject =
                        java.net.URLDecoder.decode(query.substring(query.indexOf('=') + 1), StandardCharsets.UTF_8);
                byte[] body = ("{\"subject\":\"" + subject
                                + "\",\"links\":[{\"rel\":\"http://microformats.org/profile/hcard\","
                                + "\"type\":\"text/html\",\"href\":\"http://" + host
                                + "/hcard/users/0123456789abcdef\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/jrd+json");
                exchange.sendResponseHeaders(key == null ? 404 : 200, key == null ? -1 : body.length);
                if (key != null) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.createContext("/hcard/users/", exchange -> {
                byte[] body = ("<html><body><dl class=\"entity_key\"><dd><pre class=\"key\">" + key
                                + "</pre></dd></dl></body></html>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new OldPod(server);
        }

        String handle(String username) {
            return username + "@127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
