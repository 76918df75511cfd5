package org.transplant.migration.importer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * An old pod that lies about its photos: active content announced as (or instead of) an image, a guid a local
 * person's photo already has, a body far beyond the pod's upload limit, a guid that would bend a link. Each such
 * photo is left out and counted, the import still finishes, and nothing of it is served from this pod's origin.
 * The photos phase's own transfers are what these tests count, so nothing is read ahead here
 * ({@link PhotosReadAheadTest} meets the same lies with reading ahead).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(HostilePhotosImportTest.NotReadingAhead.class)
class HostilePhotosImportTest {

    public static class NotReadingAhead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transplant.importer.read-photos-ahead", "false");
        }
    }

    private static final String SCRIPT_PAGE =
            "<!DOCTYPE html><html><body><script>fetch('/oauth/authorize'," + "{method:'POST'})</script></body></html>";
    private static final String SCRIPT_SVG =
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script>" + "</svg>";

    @Inject
    MockMailbox mailbox;

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    TransplantConfig config;

    @Inject
    PhotoStore store;

    @Test
    void activeContentIsLeftOutAndARealImageKeepsTheTypeOfItsBytes() throws Throwable {
        String html = Guids.next(), svg = Guids.next(), real = Guids.next();
        byte[] png = png(3, 2);
        try (HostileOldPod old = HostileOldPod.start()
                .photo(html, "text/html", SCRIPT_PAGE.getBytes(StandardCharsets.UTF_8))
                .photo(svg, "image/svg+xml", SCRIPT_SVG.getBytes(StandardCharsets.UTF_8))
                // A real PNG announced as a page: the bytes decide.
                .photo(real, "text/html", png)) {
            String job = imports().start("hp_active", old.issuer(), "COPY");
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photos")).isEqualTo(1);
            assertThat(done.getLong("photosSkipped")).isEqualTo(2);
            for (String refused : List.of(html, svg)) {
                assertThat(count("SELECT count(*) FROM photos WHERE guid = $1", refused))
                        .isZero();
                given().get("/photos/" + refused).then().statusCode(404);
            }
            Row row = imports()
                    .row("SELECT content_type, size_bytes, width, height, file_name FROM photos WHERE guid = $1", real);
            assertThat(row.getString("content_type")).isEqualTo("image/png");
            assertThat(row.getLong("size_bytes")).isEqualTo(png.length);
            assertThat(row.getInteger("width")).isEqualTo(3);
            assertThat(row.getInteger("height")).isEqualTo(2);
            // Stored under a name of this pod's own, not the old pod's guid.
            assertThat(row.getString("file_name")).doesNotContain(real);
            Response served = given().get("/photos/" + real);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.contentType()).isEqualTo("image/png");
            assertThat(served.asByteArray()).isEqualTo(png);
            // No byte of the pages or the SVG stayed in the photo store, not even as a part file.
            try (Stream<Path> files = Files.walk(photoRoot())) {
                assertThat(files.filter(Files::isRegularFile).map(HostilePhotosImportTest::text))
                        .noneMatch(text -> text.contains("<script>"));
            }
        }
    }

    @Test
    void aGuidOfAnotherAccountsPhotoNeverReplacesItsFileOrRow() throws Throwable {
        String victim = PodClient.signedIn("hp_victim");
        byte[] theirs = png(5, 5);
        String guid = PodClient.as(victim)
                .contentType("image/png")
                .body(theirs)
                .post("/api/v1/photos")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        Row before =
                imports().row("SELECT account_id, file_name, sha256, size_bytes FROM photos WHERE guid = $1", guid);

        byte[] impostor = png(7, 7);
        try (HostileOldPod old = HostileOldPod.start().photo(guid, "image/png", impostor)) {
            String job = imports().start("hp_impostor", old.issuer(), "COPY");
            JsonObject done = awaitDone(job);

            Row after =
                    imports().row("SELECT account_id, file_name, sha256, size_bytes FROM photos WHERE guid = $1", guid);
            assertThat(after.toJson()).isEqualTo(before.toJson());
            assertThat(Files.readAllBytes(store.resolve(after.getString("file_name"))))
                    .isEqualTo(theirs);
            assertThat(given().get("/photos/" + guid)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asByteArray())
                    .isEqualTo(theirs);
            assertThat(done.getLong("photosSkipped")).isEqualTo(1);
        }
    }

    @Test
    void aPhotoLargerThanTheUploadLimitIsCutOffAndLeftOut() throws Throwable {
        String huge = Guids.next(), fine = Guids.next();
        long limit = config.photos().maxBytes();
        byte[] png = png(2, 2);
        try (HostileOldPod old = HostileOldPod.start()
                .hugePhoto(huge, limit + 4L * 1024 * 1024 * 1024)
                .photo(fine, "image/png", png)) {
            String job = imports().start("hp_huge", old.issuer(), "COPY");
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photos")).isEqualTo(1);
            assertThat(done.getLong("photosSkipped")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM photos WHERE guid = $1", huge))
                    .isZero();
            assertThat(count("SELECT count(*) FROM photos WHERE guid = $1", fine))
                    .isEqualTo(1);
            assertThat(store.partOf(job, huge)).doesNotExist();
            // The transfer was stopped at the limit, not read to its end (4 GiB more would take a while).
            Until.seen("the old pod to see its transfer cut off", () -> old.wasCutOff(huge), cut -> cut);
        }
    }

    @Test
    void aLinkedPhotoWhoseGuidWouldBendTheLinkIsLeftOut() throws Throwable {
        String bent = "../../oauth/authorize?x=", fine = Guids.next();
        try (HostileOldPod old =
                HostileOldPod.start().photo(bent, "image/png", png(1, 1)).photo(fine, "image/png", png(1, 1))) {
            String job = imports().start("hp_link", old.issuer(), "LINK");
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photosSkipped")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM photos WHERE guid = $1", bent))
                    .isZero();
            assertThat(imports()
                            .row("SELECT remote_url FROM photos WHERE guid = $1", fine)
                            .getString(0))
                    .isEqualTo(old.issuer() + "/photos/" + fine);
        }
    }

    @Test
    void photosAndPagesCarryNosniffAndTheirContentSecurityPolicy() throws Throwable {
        String owner = PodClient.signedIn("hp_headers");
        byte[] png = png(4, 4);
        String guid = PodClient.as(owner)
                .contentType("image/png")
                .body(png)
                .post("/api/v1/photos")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        // The row claims another size: the response tells the file's own.
        imports().execute("UPDATE photos SET size_bytes = 7 WHERE guid = $1", guid);

        Response photo = given().get("/photos/" + guid);
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(photo.headers().getValues("Content-Security-Policy"))
                .containsExactly("default-src 'none'; sandbox; frame-ancestors 'none'");
        assertThat(photo.header("Content-Length")).isEqualTo(Integer.toString(png.length));
        assertThat(photo.asByteArray()).isEqualTo(png);

        for (String path : List.of("/login", "/signup", "/u/hp_headers")) {
            Response page = given().get(path);
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.headers().getValues("Content-Security-Policy")).hasSize(1);
            assertThat(page.header("Content-Security-Policy"))
                    .contains(
                            "default-src 'self'",
                            "script-src 'self'",
                            "object-src 'none'",
                            "base-uri 'none'",
                            "frame-ancestors 'none'")
                    .doesNotContain("unsafe");
        }
    }

    @Test
    void photosTheOldPodNoLongerHasOrSendsDamagedAreLeftOutAndReported() throws Throwable {
        String missing = Guids.next(),
                removed = Guids.next(),
                damaged = Guids.next(),
                noRange = Guids.next(),
                fine = Guids.next();
        byte[] png = png(2, 3);
        try (HostileOldPod old = HostileOldPod.start()
                .photo(missing, "image/png", png(1, 2))
                .answers(missing, 404)
                .photo(removed, "image/png", png(1, 3))
                .answers(removed, 410)
                .damagedPhoto(damaged, png(1, 4))
                // 416 even to a request for the whole photo: the old pod lies about Range.
                .photo(noRange, "image/png", png(1, 5))
                .answers(noRange, 416)
                .photo(fine, "image/png", png)) {
            String job = imports().start("hp_gone", old.issuer(), "COPY");
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photos")).isEqualTo(1);
            assertThat(done.getLong("photosSkipped")).isEqualTo(4);
            assertThat(count("SELECT count(*) FROM photos WHERE guid = ANY($1)", (Object)
                            new String[] {missing, removed, damaged, noRange}))
                    .isZero();
            assertThat(Files.readAllBytes(store.resolve(imports()
                            .row("SELECT file_name FROM photos WHERE guid = $1", fine)
                            .getString(0))))
                    .isEqualTo(png);
            // Gone is gone: asked once. Damaged bytes and a refused Range: asked once more from byte 0, no more.
            assertThat(old.contentRequests(missing)).containsExactly("none");
            assertThat(old.contentRequests(removed)).containsExactly("none");
            assertThat(old.contentRequests(damaged)).containsExactly("none", "none");
            assertThat(old.contentRequests(noRange)).containsExactly("none", "none");
            // In one go: no page was read again.
            assertThat(old.photoPagesRead()).isEqualTo(1);
            for (String guid : List.of(missing, removed, damaged, noRange)) {
                assertThat(store.partOf(job, guid)).doesNotExist();
            }

            // The person reads on the import's page what was left out, and why.
            Response status = PodClient.as(PodClient.logIn("hp_gone")).get("/api/v1/imports/" + job);
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.jsonPath().getLong("leftOut.count")).isEqualTo(4);
            assertThat(status.jsonPath().getList("leftOut.items", Map.class))
                    .extracting(item -> item.get("key") + ": " + item.get("reason"))
                    .containsExactlyInAnyOrder(
                            missing + ": " + PhotoRefused.Reason.GONE.words(),
                            removed + ": " + PhotoRefused.Reason.GONE.words(),
                            damaged + ": " + PhotoRefused.Reason.DAMAGED.words(),
                            noRange + ": " + PhotoRefused.Reason.NOT_SENT.words());
            // And in the mail that tells them the move is done, with where to read the whole list.
            String email = imports()
                    .row("SELECT email FROM accounts WHERE username = $1", "hp_gone")
                    .getString(0);
            List<Mail> mails =
                    Until.seen("the done mail", () -> mailbox.getMailsSentTo(email), sent -> !sent.isEmpty());
            assertThat(mails.get(0).getSubject()).contains("is done");
            assertThat(mails.get(0).getText())
                    .contains("4 items from your old pod could not be taken")
                    .contains("photos " + missing + ": " + PhotoRefused.Reason.GONE.words())
                    .contains("photos " + noRange + ": " + PhotoRefused.Reason.NOT_SENT.words())
                    .contains("/import/" + job);
        }
    }

    @Test
    void aPartLongerThanTheOldPodsFileStartsAgainFromByteZero() throws Throwable {
        String guid = Guids.next();
        byte[] png = png(3, 3);
        try (HostileOldPod old = HostileOldPod.start().photo(guid, "image/png", png)) {
            // Left by an earlier attempt at a file the old pod has changed since: longer than the file is now.
            String job =
                    imports().start("hp_longpart", old.issuer(), "COPY", id -> writePart(id, guid, new byte[5000]));
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photos")).isEqualTo(1);
            assertThat(old.contentRequests(guid)).containsExactly("bytes=5000-", "none");
            assertThat(old.photoPagesRead()).isEqualTo(1);
            assertThat(Files.readAllBytes(store.resolve(imports()
                            .row("SELECT file_name FROM photos WHERE guid = $1", guid)
                            .getString(0))))
                    .isEqualTo(png);
        }
    }

    @Test
    void partsOfPhotosNoPageNamesAndPartsOfAnEndedJobDoNotStay() throws Throwable {
        String guid = Guids.next(), forgotten = Guids.next();
        try (HostileOldPod old = HostileOldPod.start().photo(guid, "image/png", png(3, 4))) {
            // An earlier attempt's page named a photo the old pod no longer lists.
            String job =
                    imports().start("hp_stale", old.issuer(), "COPY", id -> writePart(id, forgotten, new byte[70_000]));
            assertThat(awaitDone(job).getLong("photos")).isEqualTo(1);
            assertThat(store.partsOf(job)).doesNotExist();
        }
    }

    @Test
    void aResumedPhotoIsNeverAppendedToWhatAnOldPodIgnoringRangeSendsWhole() throws Throwable {
        String ignoring = Guids.next(), honouring = Guids.next();
        // Near the upload limit, so the whole photo after its part would pass it.
        byte[] big = padded(png(4, 4), (int) (config.photos().maxBytes() * 4 / 5));
        byte[] other = padded(png(5, 4), 200_000);
        try (HostileOldPod old = HostileOldPod.start()
                .photo(ignoring, "image/png", big)
                .ignoresRange(ignoring)
                .photo(honouring, "image/png", other)) {
            int half = big.length / 2;
            String job = imports().start("hp_norange", old.issuer(), "COPY", id -> {
                writePart(id, ignoring, Arrays.copyOf(big, half));
                writePart(id, honouring, Arrays.copyOf(other, 1000));
            });
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photos")).isEqualTo(2);
            assertThat(done.getLong("photosSkipped")).isZero();
            assertThat(old.contentRequests(ignoring)).containsExactly("bytes=" + half + "-", "none");
            assertThat(old.contentRequests(honouring)).containsExactly("bytes=1000-");
            assertThat(Files.readAllBytes(store.resolve(imports()
                            .row("SELECT file_name FROM photos WHERE guid = $1", ignoring)
                            .getString(0))))
                    .isEqualTo(big);
            assertThat(Files.readAllBytes(store.resolve(imports()
                            .row("SELECT file_name FROM photos WHERE guid = $1", honouring)
                            .getString(0))))
                    .isEqualTo(other);
        }
    }

    @Test
    void aServerErrorForAPhotoRetriesThePageAndThePhotoArrives() throws Throwable {
        String guid = Guids.next();
        byte[] png = png(2, 5);
        try (HostileOldPod old =
                HostileOldPod.start().photo(guid, "image/png", png).answersFirst(guid, 503, 1)) {
            String job = imports().start("hp_503", old.issuer(), "COPY");
            JsonObject done = awaitDone(job);

            assertThat(done.getLong("photos")).isEqualTo(1);
            assertThat(done.getLong("photosSkipped")).isZero();
            // Not left out: the page was read again after a wait, and the photo came.
            assertThat(old.photoPagesRead()).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM import_left_out WHERE job_id = $1", job))
                    .isZero();
        }
    }

    /** A part file as an earlier, cut-off attempt of the job would have left it. */
    private void writePart(String job, String guid, byte[] bytes) {
        Path part = store.partOf(job, guid);
        try {
            Files.createDirectories(part.getParent());
            Files.write(part, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG followed by zeros up to {@code size} bytes: still a PNG by its header, as large as wanted. */
    static byte[] padded(byte[] png, int size) {
        return Arrays.copyOf(png, Math.max(size, png.length));
    }

    /** Waits for the job to end; it must end DONE. Answers its done counts. */
    private JsonObject awaitDone(String job) throws Throwable {
        Row row = imports().awaitEnd(job);
        assertThat(row.getString("state"))
                .as("the job's state (error: %s)", row.getString("error"))
                .isEqualTo("DONE");
        return (JsonObject) row.getValue("done");
    }

    private Path photoRoot() {
        return Path.of(config.dataDir()).resolve("photos");
    }

    private static String text(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InTestImports imports() {
        return new InTestImports(pool, secrets);
    }

    private long count(String sql, Object... params) throws Throwable {
        return imports().row(sql, params).getLong(0);
    }

    static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width * 1000 + height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
