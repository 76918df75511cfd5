package org.transplant.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.transplant.config.TransplantConfig;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * Uploads in parts are open to anyone, so each is bounded: one client holds at most one largest archive under way,
 * an upload without parts is gone in minutes, a part announces its length and is no larger than a part may be, and
 * two parts sent to one place leave the file holding the one the upload counts.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ArchiveUploadsTest {

    @Inject
    Pool pool;

    @Inject
    ArchiveUploads uploads;

    @Inject
    TransplantConfig config;

    @TestHTTPResource("/api/v1/archive-uploads/")
    URI uploadsUrl;

    @Test
    void oneClientHoldsAtMostOneLargestArchiveUnderWay() {
        long max = config.archives().maxUploadBytes();
        long held = Long.parseLong(rows("SELECT coalesce(sum(bytes), 0) FROM archive_uploads WHERE client ="
                        + " '127.0.0.1' AND expires_at > now()")
                .get(0));
        String id = open(max - held).then().statusCode(201).extract().path("id");
        try {
            open(1).then()
                    .statusCode(429)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/too-many-requests"));
            // Announced, never sent: it holds its room for minutes, not for the day an upload is kept.
            long lives = Long.parseLong(
                    rows("SELECT extract(epoch FROM expires_at - now())::bigint FROM archive_uploads WHERE id = '" + id
                                    + "'")
                            .get(0));
            assertThat(lives).isBetween(60L, ArchiveUploads.IDLE.toSeconds());
        } finally {
            given().delete("/api/v1/archive-uploads/" + id).then().statusCode(204);
        }
        open(1).then().statusCode(201);
    }

    @Test
    void sizesAnnouncedHoldNoOneElsesRoomOnlyBytesWrittenDo() {
        long max = config.archives().maxUploadsBytes();
        long each = config.archives().maxUploadBytes();
        // Other clients announced the pod's whole room and sent nothing.
        rows("INSERT INTO archive_uploads (id, bytes, client, expires_at) SELECT 'announced' || n, " + each
                + ", '198.51.100.' || n, now() + interval '10 minutes' FROM generate_series(1, " + (max / each + 1)
                + ") n RETURNING id");
        try {
            String id = open(100).then().statusCode(201).extract().path("id");
            given().delete("/api/v1/archive-uploads/" + id).then().statusCode(204);
            // Once what they wrote fills it, no one starts or adds to an upload.
            rows("UPDATE archive_uploads SET received = bytes WHERE id LIKE 'announced%' RETURNING id");
            open(100).then().statusCode(503).body("type", endsWith("/uploads-full"));
        } finally {
            rows("DELETE FROM archive_uploads WHERE id LIKE 'announced%' RETURNING id");
        }
    }

    @Test
    void anUnfinishedUploadLivesWhilePartsArriveAndAWholeOneItsFullKeep() {
        byte[] bytes = random(2000);
        String id = open(bytes.length).then().statusCode(201).extract().path("id");
        rows("UPDATE archive_uploads SET expires_at = now() + interval '10 seconds' WHERE id = '" + id
                + "' RETURNING id");
        part(id, Arrays.copyOfRange(bytes, 0, 1000), 0, bytes.length).then().statusCode(200);
        assertThat(secondsLeft(id)).isGreaterThan(ArchiveUploads.IDLE.toSeconds() - 60);
        part(id, Arrays.copyOfRange(bytes, 1000, 2000), 1000, bytes.length)
                .then()
                .statusCode(200);
        assertThat(secondsLeft(id)).isGreaterThan(config.archives().uploadKeep().toSeconds() - 120);
        given().delete("/api/v1/archive-uploads/" + id).then().statusCode(204);
    }

    @Test
    void twoPartsSentToOnePlaceLeaveTheFileHoldingTheOneCounted() throws Exception {
        int size = 2 << 20;
        for (int round = 0; round < 4; round++) {
            String id = open(size).then().statusCode(201).extract().path("id");
            byte[] first = random(size);
            byte[] second = random(size);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Response>> sent = new ArrayList<>();
            for (byte[] part : List.of(first, second)) {
                sent.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return part(id, part, 0, size);
                }));
            }
            go.countDown();
            int firstStatus = sent.get(0).get().statusCode();
            int secondStatus = sent.get(1).get().statusCode();
            assertThat(List.of(firstStatus, secondStatus)).containsExactlyInAnyOrder(200, 409);
            byte[] taken = firstStatus == 200 ? first : second;
            assertThat(Files.readAllBytes(uploads.fileOf(id)))
                    .as("round %d: the file holds the part the upload counts", round)
                    .isEqualTo(taken);
            given().delete("/api/v1/archive-uploads/" + id).then().statusCode(204);
        }
    }

    @Test
    void aPartWithoutItsLengthOrLargerThanAPartIsRefusedUnread() throws Exception {
        String id = open(ArchiveUploads.MAX_PART_BYTES + 10L)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // Announced one byte over a part, nothing sent: the answer comes before the body.
        try (Socket socket = new Socket(uploadsUrl.getHost(), uploadsUrl.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("PUT " + uploadsUrl.getPath() + id + " HTTP/1.1\r\nHost: localhost\r\nContent-Type:"
                                    + " application/octet-stream\r\nContent-Range: bytes 0-"
                                    + ArchiveUploads.MAX_PART_BYTES
                                    + "/" + (ArchiveUploads.MAX_PART_BYTES + 10L) + "\r\nContent-Length: "
                                    + (ArchiveUploads.MAX_PART_BYTES + 1) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json");
        }
        // Streamed without a length (chunked): refused before a byte of it is read.
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uploadsUrl.resolve(id))
                                .header("Content-Type", "application/octet-stream")
                                .header("Content-Range", "bytes 0-9/" + (ArchiveUploads.MAX_PART_BYTES + 10L))
                                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new ByteArrayInputStream(new byte[10])))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(chunked.body()).contains("length-required");
        given().get("/api/v1/archive-uploads/" + id)
                .then()
                .statusCode(200)
                .body("received", org.hamcrest.Matchers.is(0));
        given().delete("/api/v1/archive-uploads/" + id).then().statusCode(204);
    }

    @Test
    void aPartToAnUploadWhoseFileIsGoneIsANotFound() throws Exception {
        String id = open(100).then().statusCode(201).extract().path("id");
        Files.delete(uploads.fileOf(id));
        part(id, random(100), 0, 100).then().statusCode(404).contentType("application/problem+json");
        assertThat(rows("SELECT received FROM archive_uploads WHERE id = '" + id + "'"))
                .containsExactly("0");
        rows("DELETE FROM archive_uploads WHERE id = '" + id + "' RETURNING id");
    }

    private long secondsLeft(String id) {
        return Long.parseLong(
                rows("SELECT extract(epoch FROM expires_at - now())::bigint FROM archive_uploads WHERE id = '" + id
                                + "'")
                        .get(0));
    }

    private static Response open(long bytes) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("bytes", bytes))
                .post("/api/v1/archive-uploads");
    }

    private static Response part(String id, byte[] part, long first, long total) {
        return given().contentType("application/octet-stream")
                .header("Content-Range", "bytes " + first + "-" + (first + part.length - 1) + "/" + total)
                .body(part)
                .put("/api/v1/archive-uploads/" + id);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ArchiveFixture.RANDOM.nextBytes(bytes);
        return bytes;
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
