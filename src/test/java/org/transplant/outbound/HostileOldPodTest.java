package org.transplant.outbound;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpExchange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * An old pod on this machine (private addresses allowed, as for two pods side by side) that answers with hostile
 * things when an anonymous caller starts an import: an issuer, or a registration endpoint, on another server (an
 * "internal" one, which must hear nothing), a redirect to that server, a body beyond the cap, a body that drips in
 * slower than the deadline, and error bodies carrying a marker, which must never reach the caller.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(HostileOldPodTest.SmallCaps.class)
class HostileOldPodTest {

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "transplant.outbound.allow-private-addresses",
                    "true",
                    "transplant.outbound.max-body-bytes",
                    "65536",
                    "transplant.outbound.deadline",
                    "PT3S");
        }
    }

    private static final String MARKER = "remote-body-marker-52c9";
    private static final AtomicInteger USERS = new AtomicInteger();

    private static final Map<String, Integer> METADATA_READS = new ConcurrentHashMap<>();
    private static final AtomicLong HUGE_JWKS_SENT = new AtomicLong();
    private static final AtomicBoolean HUGE_JWKS_DONE = new AtomicBoolean();
    private static final AtomicBoolean DRIP_JWKS_DONE = new AtomicBoolean();
    private static final AtomicBoolean DRIP_JWKS_CUT = new AtomicBoolean();

    @Inject
    OidcProxy proxy;

    @Inject
    Pool pool;

    private static FakeServer internal;
    private static FakeServer oldPod;

    @BeforeAll
    static void startServers() throws IOException {
        internal = new FakeServer(
                "127.0.0.1",
                exchange -> FakeServer.answer(
                        exchange,
                        200,
                        "application/json",
                        "{\"client_id\":\"c\",\"client_secret\":\"" + MARKER + "\"}"));
        oldPod = new FakeServer("127.0.0.1", HostileOldPodTest::answer);
    }

    @AfterAll
    static void stopServers() {
        internal.close();
        oldPod.close();
    }

    /** WebFinger answers by the user's name; the OIDC endpoints live under /{name}/. */
    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String self = oldPod.url();
        if (path.equals("/.well-known/webfinger")) {
            String resource = URLDecoder.decode(
                    exchange.getRequestURI().getRawQuery().replace("resource=", ""), StandardCharsets.UTF_8);
            String user = resource.substring("acct:".length(), resource.indexOf('@'));
            switch (user) {
                case "elsewhere" -> jrd(exchange, resource, internal.url());
                case "redirect" -> {
                    exchange.getResponseHeaders().set("Location", internal.url() + "/.well-known/webfinger");
                    FakeServer.answer(exchange, 302, "text/plain", "");
                }
                case "huge" ->
                    FakeServer.answer(
                            exchange,
                            200,
                            "application/jrd+json",
                            "{\"subject\":\"" + resource + "\",\"padding\":\"" + "x".repeat(200_000) + "\"}");
                case "hugechunked" -> {
                    // No Content-Length: only counting while reading can stop this one.
                    exchange.getResponseHeaders().set("Content-Type", "application/jrd+json");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(
                                ("{\"subject\":\"" + resource + "\",\"padding\":\"").getBytes(StandardCharsets.UTF_8));
                        for (int i = 0; i < 2_000; i++) {
                            out.write("x".repeat(1000).getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        // The pod hung up after the cap.
                    }
                }
                case "drip" -> drip(exchange);
                case "broken" -> FakeServer.answer(exchange, 500, "text/plain", MARKER);
                default -> jrd(exchange, resource, self + "/" + user);
            }
            return;
        }
        String user = path.split("/")[1];
        String issuer = self + "/" + user;
        if (user.startsWith("oidc")) {
            oidcPod(exchange, user, issuer, path);
            return;
        }
        if (path.endsWith("/.well-known/openid-configuration")) {
            switch (user) {
                case "notjson" -> FakeServer.answer(exchange, 200, "text/html", "<html>" + MARKER + "</html>");
                case "otherissuer" -> metadata(exchange, internal.url(), issuer + "/register");
                case "registerelsewhere" -> metadata(exchange, issuer, internal.url() + "/register");
                default -> metadata(exchange, issuer, issuer + "/register");
            }
        } else if (path.endsWith("/register")) {
            FakeServer.answer(
                    exchange,
                    400,
                    "application/json",
                    "{\"error\":\"invalid_client_metadata\"," + "\"error_description\":\"" + MARKER + "\"}");
        } else {
            FakeServer.answer(exchange, 404, "text/plain", MARKER);
        }
    }

    /**
     * An old pod that registers this pod as a client with clean metadata, then serves quarkus-oidc (which reads the
     * metadata again when the person connects) a JWKS on the internal server, an endless one, or one that drips.
     */
    private static void oidcPod(HttpExchange exchange, String user, String issuer, String path) throws IOException {
        if (path.endsWith("/.well-known/openid-configuration")) {
            boolean first = METADATA_READS.merge(user, 1, Integer::sum) == 1;
            String jwks = first || !user.equals("oidcinternal") ? issuer + "/jwks" : internal.url() + "/jwks";
            FakeServer.answer(
                    exchange,
                    200,
                    "application/json",
                    "{\"issuer\":\"" + issuer
                            + "\",\"registration_endpoint\":\"" + issuer + "/register\",\"authorization_endpoint\":\""
                            + issuer + "/authorize\",\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + jwks
                            + "\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                            + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        } else if (path.endsWith("/register")) {
            FakeServer.answer(
                    exchange,
                    201,
                    "application/json",
                    "{\"client_id\":\"" + user + "\",\"client_secret\":\"s3cret-" + user + "\"}");
        } else if (path.endsWith("/jwks") && user.equals("oidchuge")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = ("{\"keys\":[" + " ".repeat(65_536)).getBytes(StandardCharsets.UTF_8);
                // 64 MiB when nobody stops reading: more than anything this pod may buffer.
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                    out.flush();
                    HUGE_JWKS_SENT.addAndGet(chunk.length);
                }
                HUGE_JWKS_DONE.set(true);
            } catch (IOException e) {
                // Cut off: what the test expects.
            }
        } else if (path.endsWith("/jwks") && user.equals("oidcdrip")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 150; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(200);
                }
                DRIP_JWKS_DONE.set(true);
            } catch (InterruptedException | IOException e) {
                DRIP_JWKS_CUT.set(true);
            }
        } else {
            FakeServer.answer(exchange, 404, "text/plain", MARKER);
        }
    }

    private static void jrd(HttpExchange exchange, String subject, String issuer) throws IOException {
        FakeServer.answer(
                exchange,
                200,
                "application/jrd+json",
                "{\"subject\":\"" + subject + "\",\"links\":[{\"rel\":"
                        + "\"http://openid.net/specs/connect/1.0/issuer\",\"href\":\"" + issuer + "\"}]}");
    }

    private static void metadata(HttpExchange exchange, String issuer, String registration) throws IOException {
        FakeServer.answer(
                exchange,
                200,
                "application/json",
                "{\"issuer\":\"" + issuer
                        + "\",\"registration_endpoint\":\"" + registration + "\",\"authorization_endpoint\":\"" + issuer
                        + "/authorize\",\"token_endpoint\":\"" + issuer + "/token\"}");
    }

    /** A valid start of a JRD, then a byte every 200 ms for far longer than the deadline. */
    private static void drip(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/jrd+json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("{\"subject\":\"".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 300; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(200);
            }
        } catch (InterruptedException | IOException e) {
            // The pod hung up: what the test expects.
        }
    }

    @Test
    void anIssuerOrRegistrationEndpointOnAnotherServerIsNeverCalled() {
        start("elsewhere")
                .statusCode(422)
                .body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("issuer on another host"));
        start("otherissuer")
                .statusCode(422)
                .body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("another issuer"));
        start("registerelsewhere")
                .statusCode(422)
                .body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("registration_endpoint on another host"));
        assertThat(internal.received).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() {
        start("redirect")
                .statusCode(502)
                .body("type", endsWith("/old-pod-unreachable"))
                .body("detail", containsString("302"));
        assertThat(internal.received).isEmpty();
    }

    @Test
    void remoteBodiesAreNeverEchoed() {
        start("register400")
                .statusCode(502)
                .body("type", endsWith("/old-pod-unreachable"))
                .body("detail", containsString("registration answered 400"));
        start("notjson").statusCode(400).body("detail", containsString("does not let apps register"));
        start("broken").statusCode(502).body("detail", containsString("500"));
    }

    @Test
    void aBodyOverTheCapIsRefused() {
        start("huge")
                .statusCode(422)
                .body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("more than 65536 bytes"));
        start("hugechunked")
                .statusCode(422)
                .body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("more than 65536 bytes"));
    }

    @Test
    void aDripFedBodyEndsAtTheDeadline() {
        start("drip")
                .statusCode(502)
                .body("type", endsWith("/old-pod-unreachable"))
                .body("detail", containsString("within 3 s"));
    }

    @Test
    void quarkusOidcNeverCallsAnotherServer() {
        connect("oidcinternal");
        assertThat(METADATA_READS.get("oidcinternal"))
                .as("quarkus-oidc read the metadata again")
                .isGreaterThan(1);
        assertThat(internal.received).isEmpty();
    }

    @Test
    void quarkusOidcReadsNoMoreThanTheCap() {
        connect("oidchuge");
        assertThat(oldPod.received).contains("GET /oidchuge/jwks");
        assertThat(HUGE_JWKS_DONE).as("the endless JWKS was read to its end").isFalse();
        assertThat(HUGE_JWKS_SENT.get())
                .as("bytes the old pod got out before it was cut off")
                .isLessThan(16L * 1024 * 1024);
    }

    @Test
    void quarkusOidcCallsEndAtTheDeadline() throws InterruptedException {
        connect("oidcdrip");
        assertThat(oldPod.received).contains("GET /oidcdrip/jwks");
        // The old pod notices the hang-up at its next byte; without the deadline it drips on for 30 s.
        while (!DRIP_JWKS_CUT.get() && !DRIP_JWKS_DONE.get()) {
            Thread.sleep(100);
        }
        assertThat(DRIP_JWKS_DONE).as("the drip-fed JWKS was read to its end").isFalse();
    }

    @Test
    void theProxyTunnelsOnlyToRegisteredOldPods() throws IOException {
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            assertThat(connectThrough(socket, internal.host())).startsWith("HTTP/1.1 403");
        }
        assertThat(internal.received).isEmpty();
    }

    @Test
    void aTunnelEndsAtTheCap() throws Exception {
        try (ServerSocket endless = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            register(endless);
            Thread server = started(() -> serve(endless, out -> {
                for (int i = 0; i < 1024; i++) {
                    out.write(new byte[65_536]);
                }
            }));
            long received = readThroughTunnel(endless);
            server.join();
            assertThat(received).as("bytes that came through the tunnel").isLessThan(1024L * 1024);
        }
    }

    @Test
    void aTunnelEndsAtTheDeadline() throws Exception {
        try (ServerSocket drip = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            register(drip);
            Thread server = started(() -> serve(drip, out -> {
                // 30 s of bytes without the deadline of 3 s.
                for (int i = 0; i < 150; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(200);
                }
            }));
            long received = readThroughTunnel(drip);
            server.join();
            assertThat(received).as("bytes that came through the tunnel").isLessThan(150);
        }
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work, "old-pod");
        thread.start();
        return thread;
    }

    interface Writer {
        void write(OutputStream out) throws Exception;
    }

    /** An https old pod, as far as the proxy knows: its origin is on record as a registered issuer. */
    private void register(ServerSocket server) {
        SqlLines.of(
                pool,
                "INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key) VALUES ("
                        + "'https://127.0.0.1:" + server.getLocalPort() + "', 'c', 'unused', 'k" + server.getLocalPort()
                        + "')");
    }

    private static void serve(ServerSocket server, Writer writer) {
        try (Socket accepted = server.accept();
                OutputStream out = accepted.getOutputStream()) {
            writer.write(out);
        } catch (Exception e) {
            // The tunnel closed: what the tests expect.
        }
    }

    private long readThroughTunnel(ServerSocket target) throws IOException {
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            assertThat(connectThrough(socket, "127.0.0.1:" + target.getLocalPort()))
                    .startsWith("HTTP/1.1 200");
            InputStream in = socket.getInputStream();
            long count = 0;
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                count += n;
            }
            return count;
        }
    }

    /** Sends a CONNECT and returns the proxy's status line, having read its head. */
    private static String connectThrough(Socket socket, String authority) throws IOException {
        socket.getOutputStream()
                .write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    /** Starts an import from {@code user} (registration succeeds) and follows its link to the old pod. */
    private static void connect(String user) {
        String authorization = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "handle",
                        user + "@" + oldPod.host(),
                        "username",
                        "ho_new" + USERS.incrementAndGet(),
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org"))
                .post("/api/v1/imports")
                .then()
                .statusCode(201)
                .extract()
                .path("authorizationUrl");
        given().redirects()
                .follow(false)
                .get(authorization)
                .then()
                .statusCode(not(302))
                .body(not(containsString(MARKER)));
    }

    private static ValidatableResponse start(String user) {
        return given().contentType(ContentType.JSON)
                .body(Map.of(
                        "handle",
                        user + "@" + oldPod.host(),
                        "username",
                        "ho_new" + USERS.incrementAndGet(),
                        "password",
                        "a long test password 42",
                        "email",
                        "n@example.org"))
                .post("/api/v1/imports")
                .then()
                .contentType("application/problem+json")
                .body(not(containsString(MARKER)));
    }
}
