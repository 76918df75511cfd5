package org.transplant.diaspora;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * The real-shaped diaspora* export of the anchors (0.9 flavour: 30 posts, 187 signed relayables of others, 36 of
 * the person's own) imported through {@code POST /api/v1/imports}. Its pod and its people's pods do not answer
 * here: the contacts' keys come from the export, the keys of the others from what this pod already holds (as it
 * would after looking them up), so that every signature can be checked, and one altered comment is left out.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DiasporaExampleImportTest {

    /** A comment of a contact on one of ana's posts, altered below after it was signed. */
    static final String ALTERED = "a0c0bf60465501328bc155783d0f846c";

    @Inject
    Pool pool;

    @Test
    void theExampleExportBecomesAnAccountWithWhatVerifiedAndAReportOfTheRest() throws Exception {
        freeTheExample(pool);
        holdTheKeysOfNonContacts();
        Path export = DiasporaExports.changed(document -> {
            for (JsonNode relayable : document.path("others_data").path("relayables")) {
                if (relayable.path("entity_data").path("guid").asText().equals(ALTERED)) {
                    ObjectNode data = (ObjectNode) relayable.get("entity_data");
                    data.put("text", data.get("text").asText() + "!");
                }
            }
        });

        Response started = start(export, "ana_example");
        String job = DiasporaExports.done(pool, started);
        String session = started.getCookie("transplant_session");

        // 26 status messages and 4 reshares; on them 74 comments and 108 likes of others on posts (one altered),
        // 15 comments and 1 like of ana's own; 12 contacts in 5 aspects; 3 followed tags.
        assertThat(count("posts p", "p.account_id")).isEqualTo(30);
        assertThat(count("comments c JOIN posts p ON p.id = c.post_id", "p.account_id"))
                .isEqualTo(74 - 1 + 15);
        assertThat(count("likes l JOIN posts p ON p.id = l.post_id", "p.account_id"))
                .isEqualTo(108 + 1);
        assertThat(count("contacts c", "c.account_id")).isEqualTo(12);
        assertThat(count("tag_followings t", "t.account_id")).isEqualTo(3);
        assertThat(rows("SELECT c.guid FROM comments c WHERE c.guid = '" + ALTERED + "'"))
                .isEmpty();
        assertThat(rows("SELECT reason FROM import_left_out WHERE job_id = '" + job + "' AND item_key = '" + ALTERED
                        + "'"))
                .containsExactly("its author's signature does not verify: it was altered or forged");
        // diaspora*'s sharing and receiving: hikerpete shares with ana, ana does not share with them.
        assertThat(rows("SELECT following || ' ' || follower FROM contacts c JOIN accounts a ON a.id = c.account_id"
                        + " WHERE a.username = 'ana_example' AND c.handle = 'hikerpete@pluspora.example'"))
                .containsExactly("false true");
        // Limited posts went to whole aspects: each keeps those aspects, and is not public.
        assertThat(rows("SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username ="
                        + " 'ana_example' AND NOT p.public"))
                .containsExactly("9");
        // Ana's own comments on others' posts, likes of comments, poll answers and photos without their zip are
        // reported, one by one.
        assertThat(rows("SELECT count(*) FROM import_left_out WHERE job_id = '" + job + "' AND reason = 'answers a"
                        + " post of someone else, which this pod does not hold'"))
                .containsExactly("19");
        assertThat(rows("SELECT count(*) FROM import_left_out WHERE job_id = '" + job + "' AND collection ="
                        + " 'polls'"))
                .containsExactly("6");
        assertThat(rows("SELECT count(*) FROM import_left_out WHERE job_id = '" + job + "' AND collection ="
                        + " 'photos'"))
                .containsExactly("7");
        // Its pod does not answer here (so the identity is unproven), and closes no account for another pod anyway.
        PodClient.as(session)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.state", is("not_closed"))
                .body("oldAccount.reason", is("diaspora-unproven"))
                .body("oldAccount.words", org.hamcrest.Matchers.containsString("did not answer"));
        assertThat(Files.list(exports()).filter(f -> f.getFileName().toString().startsWith("opened-archive-")))
                .as("the converted folder goes with the job")
                .isEmpty();
    }

    @Test
    void photosAreReLinkedFromTheZipByTheirFileName() throws Exception {
        freeTheExample(pool);
        // Five of the seven photos' files (the two WebP ones are no image this pod serves: sent as such, refused),
        // the avatar, and a file no photo names.
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("5f4879c5e2978fcacf13.gif", image("gif", 30, 20));
        files.put("fe28e2b79698c541800e.jpg", image("jpeg", 40, 30));
        files.put("e395306dd30b8d7855e6.jpeg", image("jpeg", 50, 40));
        files.put("b9651e8cb9568b16f038.png", image("png", 60, 50));
        files.put("bf9f4767f1badad0b700.webp", "RIFF0000WEBPVP8 not served here".getBytes());
        files.put("5568a82fa9ef552fd5e2.png", image("png", 70, 70));
        files.put("unrelated.png", image("png", 5, 5));
        Path zip = Files.createTempFile("diaspora_ana_photos_", ".zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (var file : files.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(file.getKey()));
                out.write(file.getValue());
            }
        }
        Response started = given().multiPart("archive", DiasporaExports.EXAMPLE.toFile(), "application/gzip")
                .multiPart("photos", zip.toFile(), "application/zip")
                .multiPart("username", "ana_photos")
                .multiPart("email", "ana_photos@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports");
        String job = DiasporaExports.done(pool, started);
        List<String> photos = rows("SELECT p.guid || ' ' || p.sha256 || ' ' || p.width || 'x' || p.height FROM photos p"
                + " JOIN accounts a ON a.id = p.account_id WHERE a.username = 'ana_photos' AND p.post_id IS NOT NULL"
                + " ORDER BY p.width");
        assertThat(photos)
                .containsExactly(
                        "4c874350b6c801351c081def1d83d893 " + sha256(files.get("5f4879c5e2978fcacf13.gif")) + " 30x20",
                        "836f3580b6c801351c081def1d83d893 " + sha256(files.get("fe28e2b79698c541800e.jpg")) + " 40x30",
                        "acdd85b0b6c801351c081def1d83d893 " + sha256(files.get("e395306dd30b8d7855e6.jpeg")) + " 50x40",
                        "fa6052a0fec201361c0c1def1d83d893 " + sha256(files.get("b9651e8cb9568b16f038.png")) + " 60x50");
        // Each photo is served with its bytes, the avatar from this pod.
        assertThat(given().get("/photos/836f3580b6c801351c081def1d83d893")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray())
                .isEqualTo(files.get("fe28e2b79698c541800e.jpg"));
        String avatar = rows("SELECT p.avatar_url FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE"
                        + " a.username = 'ana_photos'")
                .get(0);
        assertThat(avatar).contains("/photos/avatar-");
        assertThat(rows("SELECT item_key || ' ' || reason FROM import_left_out WHERE job_id = '" + job + "' AND"
                        + " collection = 'photos' ORDER BY item_key"))
                .containsExactly(
                        "412d5a20f763013d1c241def1d83d893 its file is not a PNG, JPEG or GIF image this pod serves",
                        "7de55610ff5d01391c161def1d83d893 its file '1c32c05eb13eb6f07fe9.jpeg' is not in the photos zip",
                        "cf286bc0f762013d1c241def1d83d893 its file '2e6aad58c06308434492.webp' is not in the photos zip");
    }

    private static byte[] image(String format, int width, int height) throws Exception {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, width * 65536 + height);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anExportOfAnAccountOfThisPodIsRefused() throws Exception {
        PodClient.signedIn("ana_local");
        // Its pod (this one) serves the export's key for it, so only its being local refuses it.
        rows("UPDATE accounts SET public_key_pem = '" + DiasporaExports.ownerKey() + "' WHERE username = 'ana_local'"
                + " RETURNING id");
        Path export =
                DiasporaExports.changed(document -> DiasporaExports.ownedBy(document, PodClient.handle("ana_local")));
        start(export, "ana_local_new")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/archive-local-account"));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'ana_local_new'"))
                .containsExactly("0");
    }

    static Response start(Path export, String username) {
        return given().multiPart("archive", export.toFile(), "application/gzip")
                .multiPart("username", username)
                .multiPart("email", username + "@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports");
    }

    /** The keys of the people who are not ana's contacts, as if this pod had learned them from their pods. */
    private void holdTheKeysOfNonContacts() throws Exception {
        for (JsonNode person :
                DiasporaExports.JSON.readTree(DiasporaExports.MANIFEST.toFile()).path("people")) {
            if (!person.path("contact").asBoolean() && person.has("public_key")) {
                rows("INSERT INTO person_keys (handle, public_key_pem) VALUES ('"
                        + person.get("handle").asText() + "', '"
                        + person.get("public_key").asText() + "') ON CONFLICT DO NOTHING RETURNING 1");
            }
        }
    }

    /** Removes any account holding the example's posts (an import of it in another test), so that it imports whole. */
    static void freeTheExample(Pool pool) {
        SqlLines.of(
                pool,
                "WITH gone AS (DELETE FROM accounts WHERE id IN (SELECT account_id FROM posts WHERE guid ="
                        + " '598c0060462c01321bfc1def1d83d893') RETURNING id) SELECT count(*) FROM gone");
    }

    private long count(String from, String owner) {
        return Long.parseLong(rows("SELECT count(*) FROM " + from + " JOIN accounts a ON a.id = " + owner
                        + " WHERE a.username = 'ana_example'")
                .get(0));
    }

    static Path exports() {
        return Path.of(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("transplant.data-dir", String.class),
                "exports");
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
