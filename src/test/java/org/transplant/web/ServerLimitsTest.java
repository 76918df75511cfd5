package org.transplant.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * Requests the HTTP server refuses before any resource runs: a body announced (or sent) beyond
 * {@code quarkus.http.limits.max-body-size}, a request line too long, headers too large. Each gets a 4xx
 * application/problem+json like every other refusal, and nothing is written. Raw sockets: the point is what the
 * server answers to bytes no client library would send.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ServerLimitsTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    @Inject
    Pool pool;

    @Test
    void aBodyAnnouncedBeyondTheLimitIsAProblemBeforeAnyOfItIsRead() throws Throwable {
        String session = PodClient.signedIn("limits_body");
        long posts = posts("limits_body");
        // 17 MiB announced, a few bytes sent: the answer comes without the rest.
        Answer answer = exchange(
                "POST /api/v1/posts HTTP/1.1\r\nHost: localhost\r\nCookie: transplant_session="
                        + session + "\r\nContent-Type: application/json\r\nContent-Length: " + (17L * 1024 * 1024)
                        + "\r\n\r\n{\"text\":\"x",
                null);
        assertProblem(answer, 413, "too-large");
        assertThat(posts("limits_body")).isEqualTo(posts);
    }

    @Test
    void aChunkedBodyBeyondTheLimitIsRefusedAsAProblem() throws Throwable {
        String session = PodClient.signedIn("limits_chunked");
        long posts = posts("limits_chunked");
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        Answer answer = exchange(
                "POST /api/v1/posts HTTP/1.1\r\nHost: localhost\r\nCookie: transplant_session=" + session
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                out -> {
                    out.write(("4\r\n{\"te\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 17; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                });
        // Not read before authentication (it would let anyone hold the limit in memory per connection): the
        // endpoint's reader refuses it, as a problem.
        assertThat(answer.status()).as(answer.head()).isIn(400, 413);
        assertThat(answer.header("content-type")).as(answer.head()).startsWith(Problem.MEDIA_TYPE);
        assertThat(posts("limits_chunked")).isEqualTo(posts);
    }

    @Test
    void aChunkedBodyWithinTheLimitStillReachesThePod() throws Throwable {
        String session = PodClient.signedIn("limits_chunked_ok");
        long posts = posts("limits_chunked_ok");
        byte[] json = "{\"text\":\"sent in chunks\",\"public\":true}".getBytes(StandardCharsets.UTF_8);
        Answer answer = exchange(
                "POST /api/v1/posts HTTP/1.1\r\nHost: localhost\r\nCookie: transplant_session="
                        + session + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n",
                out -> {
                    for (int at = 0; at < json.length; at += 10) {
                        int n = Math.min(10, json.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(json, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                });
        assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(201);
        assertThat(posts("limits_chunked_ok")).isEqualTo(posts + 1);
    }

    @Test
    void aRequestLineBeyondTheLimitIsAProblem() throws Exception {
        Answer answer = exchange("GET /u/" + "x".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", null);
        assertProblem(answer, 414, "uri-too-long");
    }

    @Test
    void headersBeyondTheLimitAreAProblem() throws Exception {
        Answer answer = exchange(
                "GET /login HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "h".repeat(30_000) + "\r\n\r\n", null);
        assertProblem(answer, 431, "headers-too-large");
    }

    @Test
    void manyHeadersBeyondTheLimitAreAProblem() throws Exception {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            headers.append("X-Filler-")
                    .append(i)
                    .append(": ")
                    .append("h".repeat(60))
                    .append("\r\n");
        }
        Answer answer = exchange("GET /login HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n", null);
        assertProblem(answer, 431, "headers-too-large");
    }

    @Test
    void aRequestJustWithinTheLimitsStillReachesThePod() throws Exception {
        Answer answer = exchange(
                "GET /login?pad=" + "y".repeat(3000) + " HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "h".repeat(10_000)
                        + "\r\nConnection: close\r\n\r\n",
                null);
        // The pod's own log-in page.
        assertThat(answer.status()).as(answer.head()).isEqualTo(200);
        assertThat(answer.header("content-type")).startsWith("text/html");
    }

    private static void assertProblem(Answer answer, int status, String slug) {
        assertThat(answer.status()).as(answer.head()).isEqualTo(status);
        assertThat(answer.header("content-type")).as(answer.head()).startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.body())
                .contains("\"status\":" + status)
                .contains("https://transplant.social/problems/" + slug);
    }

    /** The posts of the test's own account: what another test writes meanwhile is not counted. */
    private long posts(String username) throws Throwable {
        return VertxContextSupport.<Long>subscribeAndAwait(() -> pool.preparedQuery(
                        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = $1")
                .execute(Tuple.of(username))
                .map(rows -> rows.iterator().next().getLong(0)));
    }

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    record Answer(String head, String body) {
        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0
                        && line.substring(0, colon)
                                .trim()
                                .toLowerCase(Locale.ROOT)
                                .equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    /**
     * Sends the head (and maybe a body) while reading the answer on another thread: a server that refuses midway
     * answers and closes while the body is still on its way, and its answer must be read before the reset.
     */
    private Answer exchange(String head, Body body) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) != -1; ) {
                        synchronized (read) {
                            read.write(buffer, 0, n);
                        }
                        if (complete(read)) {
                            return;
                        }
                    }
                } catch (IOException closed) {
                    // A reset after the answer: what arrived is kept.
                }
            });
            reader.start();
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    body.write(out);
                }
                out.flush();
            } catch (SocketException refusedMidway) {
                // The server answered and closed before taking all of it.
            }
            reader.join(20_000);
            String all;
            synchronized (read) {
                all = read.toString(StandardCharsets.ISO_8859_1);
            }
            int end = all.indexOf("\r\n\r\n");
            assertThat(end).as("an answer arrived: %s", all).isPositive();
            byte[] bytes;
            synchronized (read) {
                bytes = read.toByteArray();
            }
            return new Answer(
                    all.substring(0, end + 4),
                    new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.UTF_8));
        }
    }

    /** Whether the bytes hold a whole answer: its head and as much body as it announces. */
    private static boolean complete(ByteArrayOutputStream read) {
        String all;
        synchronized (read) {
            all = read.toString(StandardCharsets.ISO_8859_1);
        }
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String length = new Answer(all.substring(0, end + 4), "").header("content-length");
        return !length.isEmpty() && all.length() - end - 4 >= Integer.parseInt(length);
    }
}
