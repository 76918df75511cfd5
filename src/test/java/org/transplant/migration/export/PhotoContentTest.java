package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PhotoContentTest {

    @Inject
    OidcFixture fixture;

    static Registration client;
    // A second grant to the same client replaces the first and ends its tokens: backup tokens get their own.
    static Registration backupClient;
    static String token;
    static List<JsonNode> photos;
    static String bobsPhoto;

    @BeforeEach
    void fill() throws Throwable {
        if (client != null) {
            return;
        }
        ExportClient.fill("pic_ann", 31);
        ExportClient.fill("pic_bob", 32);
        client = fixture.register("Photo bytes test", "client_secret_basic");
        backupClient = fixture.register("Photo bytes backup", "client_secret_basic");
        token = ExportClient.token(fixture, client, "pic_ann", "migration:read", null, null);
        photos = ExportClient.allPages(token, "photos", 3);
        String bob = ExportClient.token(fixture, client, "pic_bob", "migration:read", null, null);
        bobsPhoto = ExportClient.allPages(bob, "photos", 10).get(0).path("guid").asText();
    }

    static ExtractableResponse<Response> content(String token, String guid, String header, String value) {
        var request = given().auth().oauth2(token);
        if (header != null) {
            request = request.header(header, value);
        }
        return request.get("/migration/v1/photos/" + guid + "/content").then().extract();
    }

    @Test
    void theBytesMatchTheDigestTheCollectionAnnounces() throws Exception {
        assertThat(photos).hasSize(4);
        for (JsonNode photo : photos) {
            var response = content(token, photo.path("guid").asText(), null, null);
            assertThat(response.statusCode()).isEqualTo(200);
            byte[] bytes = response.asByteArray();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String sha256 = photo.path("sha256").asText();
            assertThat(HexFormat.of().formatHex(digest)).isEqualTo(sha256);
            assertThat((long) bytes.length).isEqualTo(photo.path("size").asLong());
            assertThat(response.contentType()).isEqualTo("image/png");
            assertThat(response.header("ETag")).isEqualTo("\"" + sha256 + "\"");
            String base64 = Base64.getEncoder().encodeToString(digest);
            assertThat(response.header("Repr-Digest")).isEqualTo("sha-256=:" + base64 + ":");
            assertThat(response.header("Digest")).isEqualTo("sha-256=" + base64);
            assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(bytes.length));
        }
    }

    @Test
    void rangesResumeADownloadAndPiecesMakeTheWhole() throws Exception {
        String guid = photos.get(0).path("guid").asText();
        byte[] whole = content(token, guid, null, null).asByteArray();
        int size = whole.length;

        var head = content(token, guid, "Range", "bytes=0-99");
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.header("Content-Range")).isEqualTo("bytes 0-99/" + size);
        assertThat(head.header("Content-Length")).isEqualTo("100");
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(head.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, 0, 100));

        var rest = content(token, guid, "Range", "bytes=100-");
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.header("Content-Range")).isEqualTo("bytes 100-" + (size - 1) + "/" + size);
        assertThat(rest.header("Repr-Digest"))
                .isEqualTo(content(token, guid, null, null).header("Repr-Digest"));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(head.asByteArray());
        joined.write(rest.asByteArray());
        assertThat(joined.toByteArray()).isEqualTo(whole);

        var tail = content(token, guid, "Range", "bytes=-50");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.header("Content-Range")).isEqualTo("bytes " + (size - 50) + "-" + (size - 1) + "/" + size);
        assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, size - 50, size));

        var beyond = content(token, guid, "Range", "bytes=" + size + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + size);

        // Several ranges or a malformed one: the whole representation (RFC 9110 §14.2 lets a server ignore Range).
        assertThat(content(token, guid, "Range", "bytes=0-1,5-9").asByteArray()).isEqualTo(whole);
        assertThat(content(token, guid, "Range", "bytes=9-1").statusCode()).isEqualTo(200);
    }

    @Test
    void aKnownEtagGetsNotModified() {
        JsonNode photo = photos.get(1);
        String etag = "\"" + photo.path("sha256").asText() + "\"";
        var response = content(token, photo.path("guid").asText(), "If-None-Match", etag);
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.asByteArray()).isEmpty();
        assertThat(response.header("ETag")).isEqualTo(etag);
        assertThat(content(token, photo.path("guid").asText(), "If-None-Match", "\"other\"")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anotherAccountsPhotoIsNotFound() {
        var response = content(token, bobsPhoto, null, null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(content(token, "no-such-guid", null, null).statusCode()).isEqualTo(404);
        given().get("/migration/v1/photos/" + bobsPhoto + "/content").then().statusCode(401);
    }

    @Test
    void aBackupTokenSeesOnlyPhotosWithinItsSpan() throws Throwable {
        String empty = ExportClient.token(
                fixture,
                backupClient,
                "pic_ann",
                "backup:read",
                Instant.parse("1990-01-01T00:00:00Z"),
                Instant.parse("1990-12-31T00:00:00Z"));
        for (JsonNode photo : photos) {
            assertThat(content(empty, photo.path("guid").asText(), null, null).statusCode())
                    .isEqualTo(404);
        }
        String all = ExportClient.token(
                fixture,
                backupClient,
                "pic_ann",
                "backup:read",
                Instant.parse("1990-01-01T00:00:00Z"),
                Instant.now().plusSeconds(3600));
        assertThat(content(all, photos.get(0).path("guid").asText(), null, null).statusCode())
                .isEqualTo(200);
    }

    @Inject
    PhotoStore store;

    @Test
    void aPhotoWhoseFileIsGoneIsAClearProblemNotABrokenDownload() throws Exception {
        String guid = photos.get(photos.size() - 1).get("guid").asText();
        String type = photos.get(photos.size() - 1).get("contentType").asText();
        Path file = store.resolve(guid + "." + type.substring("image/".length()).replace("jpeg", "jpg"));
        Path aside = file.resolveSibling(file.getFileName() + ".aside");
        Files.move(file, aside);
        try {
            given().auth()
                    .oauth2(token)
                    .get("/migration/v1/photos/" + guid + "/content")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", Matchers.containsString("photo-file-missing"));
        } finally {
            Files.move(aside, file);
        }
    }
}
