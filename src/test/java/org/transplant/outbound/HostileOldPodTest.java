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
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

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
            return Map.of("transplant.outbound.allow-private-addresses", "true",
                    "transplant.outbound.max-body-bytes", "65536",
                    "transplant.outbound.deadline", "PT3S");
        }
    }

    private static final String MARKER = "remote-body-marker-52c9";
    private static final AtomicInteger USERS = new AtomicInteger();

    private static FakeServer internal;
    private static FakeServer oldPod;

    @BeforeAll
    static void startServers() throws IOException {
        internal = new FakeServer("127.0.0.1", exchange -> FakeServer.answer(exchange, 200, "application/json",
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
            String resource = URLDecoder.decode(exchange.getRequestURI().getRawQuery().replace("resource=", ""),
                    StandardCharsets.UTF_8);
            String user = resource.substring("acct:".length(), resource.indexOf('@'));
            switch (user) {
                case "elsewhere" -> jrd(exchange, resource, internal.url());
                case "redirect" -> {
                    exchange.getResponseHeaders().set("Location", internal.url() + "/.well-known/webfinger");
                    FakeServer.answer(exchange, 302, "text/plain", "");
                }
                case "huge" -> FakeServer.answer(exchange, 200, "application/jrd+json", "{\"subject\":\"" + resource
                        + "\",\"padding\":\"" + "x".repeat(200_000) + "\"}");
                case "hugechunked" -> {
                    // No Content-Length: only counting while reading can stop this one.
                    exchange.getResponseHeaders().set("Content-Type", "application/jrd+json");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(("{\"subject\":\"" + resource + "\",\"padding\":\"")
                                .getBytes(StandardCharsets.UTF_8));
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
        if (path.endsWith("/.well-known/openid-configuration")) {
            switch (user) {
                case "notjson" -> FakeServer.answer(exchange, 200, "text/html", "<html>" + MARKER + "</html>");
                case "otherissuer" -> metadata(exchange, internal.url(), issuer + "/register");
                case "registerelsewhere" -> metadata(exchange, issuer, internal.url() + "/register");
                default -> metadata(exchange, issuer, issuer + "/register");
            }
        } else if (path.endsWith("/register")) {
            FakeServer.answer(exchange, 400, "application/json", "{\"error\":\"invalid_client_metadata\","
                    + "\"error_description\":\"" + MARKER + "\"}");
        } else {
            FakeServer.answer(exchange, 404, "text/plain", MARKER);
        }
    }

    private static void jrd(HttpExchange exchange, String subject, String issuer) throws IOException {
        FakeServer.answer(exchange, 200, "application/jrd+json", "{\"subject\":\"" + subject + "\",\"links\":[{\"rel\":"
                + "\"http://openid.net/specs/connect/1.0/issuer\",\"href\":\"" + issuer + "\"}]}");
    }

    private static void metadata(HttpExchange exchange, String issuer, String registration) throws IOException {
        FakeServer.answer(exchange, 200, "application/json", "{\"issuer\":\"" + issuer
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
        start("elsewhere").statusCode(422).body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("issuer on another host"));
        start("otherissuer").statusCode(422).body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("another issuer"));
        start("registerelsewhere").statusCode(422).body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("registration_endpoint on another host"));
        assertThat(internal.received).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() {
        start("redirect").statusCode(502).body("type", endsWith("/old-pod-unreachable"))
                .body("detail", containsString("302"));
        assertThat(internal.received).isEmpty();
    }

    @Test
    void remoteBodiesAreNeverEchoed() {
        start("register400").statusCode(502).body("type", endsWith("/old-pod-unreachable"))
                .body("detail", containsString("registration answered 400"));
        start("notjson").statusCode(400).body("detail", containsString("does not let apps register"));
        start("broken").statusCode(502).body("detail", containsString("500"));
    }

    @Test
    void aBodyOverTheCapIsRefused() {
        start("huge").statusCode(422).body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("more than 65536 bytes"));
        start("hugechunked").statusCode(422).body("type", endsWith("/old-pod-refused"))
                .body("detail", containsString("more than 65536 bytes"));
    }

    @Test
    void aDripFedBodyEndsAtTheDeadline() {
        start("drip").statusCode(502).body("type", endsWith("/old-pod-unreachable"))
                .body("detail", containsString("within 3 s"));
    }

    private static ValidatableResponse start(String user) {
        return given().contentType(ContentType.JSON).body(Map.of("handle", user + "@" + oldPod.host(), "username",
                "ho_new" + USERS.incrementAndGet(), "password", "a long test password 42", "email", "n@example.org"))
                .post("/api/v1/imports").then().contentType("application/problem+json")
                .body(not(containsString(MARKER)));
    }
}
