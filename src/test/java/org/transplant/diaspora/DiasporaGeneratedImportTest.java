package org.transplant.diaspora;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transplant.diaspora.DiasporaExportGenerator.Digest;
import org.transplant.diaspora.DiasporaExportGenerator.Flavour;
import org.transplant.diaspora.DiasporaExportGenerator.Generated;
import org.transplant.diaspora.DiasporaExportGenerator.Problem;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * Generated diaspora* exports of both flavours (0.7.x: a zip holding the JSON, old signature orders, no blocks;
 * 0.9.x: a gzip with blocks and likes of comments), with photos, forged comments and the problems diaspora* only warns
 * about, imported through {@code POST /api/v1/imports}: every collection arrives with exactly the items the generator
 * says an importer keeps (counts and digests of their guids), and every item it leaves out is in the report.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DiasporaGeneratedImportTest {

    @Inject
    Pool pool;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyCollectionArrivesAsGeneratedAndEveryLeftOutItemIsReported(Flavour flavour) throws Exception {
        Path dir = Files.createTempDirectory("diaspora-gen-");
        Generated export = DiasporaExportGenerator.generate(DiasporaExportGenerator.Options.builder(dir)
                .flavour(flavour)
                .seed(flavour.ordinal() + 40)
                .ownerHandle("gen" + flavour.ordinal() + "@oldpod.example")
                .posts(40)
                .commentsPerPost(2)
                .likesPerPost(3)
                .photos(6)
                .forged(3)
                .container(
                        flavour == Flavour.V07
                                ? DiasporaExportGenerator.Container.ZIP
                                : DiasporaExportGenerator.Container.GZIP)
                .problems(
                        Problem.RESHARE_WITHOUT_ROOT, Problem.RELAYABLE_WITHOUT_PARENT, Problem.POLL, Problem.LOCATION)
                .build());
        // Keys another test made this pod hold for people of the same names would win over the export's.
        for (String author : export.authorPublicKeys().keySet()) {
            rows("DELETE FROM person_keys WHERE handle = '" + author + "' RETURNING 1");
        }
        String username = "gen_" + flavour.name().toLowerCase();
        Response started = given().multiPart("archive", export.dataFile().toFile(), "application/octet-stream")
                .multiPart("photos", export.photosZip().toFile(), "application/zip")
                .multiPart("username", username)
                .multiPart("email", username + "@example.org")
                .multiPart("password", PodClient.PASSWORD)
                .post("/api/v1/imports");
        String job = DiasporaExports.done(pool, started);

        String owner = " JOIN accounts a ON a.id = x.account_id WHERE a.username = '" + username + "'";
        String ownPosts =
                " JOIN posts p ON p.id = x.post_id JOIN accounts a ON a.id = p.account_id WHERE a.username = '"
                        + username + "'";
        Map<String, Digest> expected = export.manifest().collections();
        assertDigest("posts", expected, "SELECT x.guid FROM posts x" + owner);
        assertDigest("comments", expected, "SELECT x.guid FROM comments x" + ownPosts);
        assertDigest("likes", expected, "SELECT x.guid FROM likes x" + ownPosts);
        assertDigest("photos", expected, "SELECT x.guid FROM photos x" + owner + " AND x.post_id IS NOT NULL");
        assertDigest("contacts", expected, "SELECT x.handle FROM contacts x" + owner + " AND NOT x.blocked");
        assertDigest("blocks", expected, "SELECT x.handle FROM contacts x" + owner + " AND x.blocked");
        assertDigest("aspects", expected, "SELECT x.name FROM aspects x" + owner);
        assertDigest("followed_tags", expected, "SELECT x.tag FROM tag_followings x" + owner);

        List<String> reported =
                rows("SELECT item_key || ' ' || reason FROM import_left_out WHERE job_id = '" + job + "'");
        assertThat(export.manifest().forged()).hasSize(3);
        for (String forged : export.manifest().forged()) {
            assertThat(reported).contains(forged + " its author's signature does not verify: it was altered or forged");
        }
        for (DiasporaExportGenerator.LeftOut left : export.manifest().leftOut()) {
            assertThat(reported)
                    .as("the report names %s (%s)", left.id(), left.reason())
                    .anyMatch(line -> line.startsWith(left.id() + " "));
        }
        if (flavour == Flavour.V07) {
            assertThat(reported).anyMatch(line -> line.startsWith("strip_exif the field"));
        }
    }

    private void assertDigest(String collection, Map<String, Digest> expected, String sql) throws Exception {
        List<String> ids = rows(sql + " ORDER BY 1").stream().sorted().toList();
        String digest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(String.join("\n", ids).getBytes(StandardCharsets.UTF_8)));
        assertThat(ids).as(collection).hasSize(expected.get(collection).count());
        assertThat(digest)
                .as(collection + " digest")
                .isEqualTo(expected.get(collection).sha256());
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
