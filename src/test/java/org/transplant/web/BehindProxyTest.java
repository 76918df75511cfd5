package org.transplant.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.transplant.pod.session.Csrf;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * Behind a trusted proxy (127.0.0.2 here), the failed-log-in limit counts the client the proxy names, each client
 * on its own; what anyone else writes in X-Forwarded-For is ignored. With an https public URL every cookie is
 * Secure, though the request the pod sees is plain http.
 */
@QuarkusTest
@TestProfile(BehindProxyProfile.class)
@QuarkusTestResource(PostgresResource.class)
class BehindProxyTest {

    private static final String CSRF = "proxy-test-csrf-token-0123456789abcdefghijklmn";

    @Inject
    Pool pool;

    @Test
    void theFailedLogInLimitCountsTheClientTheTrustedProxyNames() throws Throwable {
        // Three failures of one forwarded client (with different usernames, so only the client limit counts).
        for (int i = 0; i < 3; i++) {
            assertThat(logInThroughProxy("203.0.113.7", "nobody_a" + i)).isEqualTo(401);
        }
        assertThat(logInThroughProxy("203.0.113.7", "nobody_a9")).isEqualTo(429);
        // Another client behind the same proxy has its own allowance.
        assertThat(logInThroughProxy("203.0.113.8", "nobody_b0")).isEqualTo(401);
        // The proxy appends the address it saw: what the client put before it is not believed, and a chain of
        // trusted proxies is walked past.
        assertThat(logInThroughProxy("198.51.100.1, 203.0.113.9", "nobody_c0")).isEqualTo(401);
        assertThat(logInThroughProxy("203.0.113.10, 10.1.2.3", "nobody_d0")).isEqualTo(401);
        assertThat(clients())
                .contains("client:203.0.113.7", "client:203.0.113.8", "client:203.0.113.9", "client:203.0.113.10")
                .doesNotContain("client:127.0.0.2", "client:198.51.100.1", "client:10.1.2.3");

        // 127.0.0.1 is no trusted proxy: its X-Forwarded-For is ignored, it is counted as itself.
        given().redirects()
                .follow(false)
                .cookie(Csrf.COOKIE, CSRF)
                .header("X-Forwarded-For", "203.0.113.50")
                .contentType(ContentType.URLENC)
                .formParam("username", "nobody_e0")
                .formParam("password", "wrong")
                .formParam(Csrf.FIELD, CSRF)
                .post("/login")
                .then()
                .statusCode(401);
        assertThat(clients()).contains("client:127.0.0.1").doesNotContain("client:203.0.113.50");

        // Quarkus's own forwarding (scheme, host) is on for the same proxies.
        assertThat(ConfigProvider.getConfig().getValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class))
                .isTrue();
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64AndAPortIsDropped() throws Throwable {
        // Three addresses of one /64, written as a proxy may (bare, bracketed with a port): one allowance.
        assertThat(logInThroughProxy("2001:db8:1:2::a", "nobody_f0")).isEqualTo(401);
        assertThat(logInThroughProxy("[2001:db8:1:2::b]:4711", "nobody_f1")).isEqualTo(401);
        assertThat(logInThroughProxy("2001:db8:1:2:ffff::c", "nobody_f2")).isEqualTo(401);
        assertThat(logInThroughProxy("2001:db8:1:2::d", "nobody_f3")).isEqualTo(429);
        // The next /64 is another subscriber.
        assertThat(logInThroughProxy("2001:db8:1:3::a", "nobody_f4")).isEqualTo(401);
        // An IPv4 entry with a port is that client, not the end of the walk (which would count the proxy).
        assertThat(logInThroughProxy("203.0.113.60:4711", "nobody_f5")).isEqualTo(401);
        assertThat(clients())
                .contains("client:2001:db8:1:2:0:0:0:0/64", "client:2001:db8:1:3:0:0:0:0/64", "client:203.0.113.60")
                .noneMatch(client -> client.startsWith("client:2001:db8:1:2::"));
    }

    @Test
    void everyCookieIsSecureWhenThePublicUrlIsHttps() {
        List<String> csrf =
                given().get("/login").then().statusCode(200).extract().headers().getValues("Set-Cookie");
        assertThat(csrf)
                .anySatisfy(cookie ->
                        assertThat(cookie).startsWith(Csrf.COOKIE + "=").contains("Secure"));

        PodClient.createAccount("proxy_alice");
        List<String> session = given().redirects()
                .follow(false)
                .cookie(Csrf.COOKIE, CSRF)
                .contentType(ContentType.URLENC)
                .formParam("username", "proxy_alice")
                .formParam("password", PodClient.PASSWORD)
                .formParam(Csrf.FIELD, CSRF)
                .post("/login")
                .then()
                .statusCode(303)
                .extract()
                .headers()
                .getValues("Set-Cookie");
        assertThat(session)
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("transplant_session=")
                        .contains("Secure")
                        .containsIgnoringCase("HttpOnly"));

        List<String> loggedOut = given().redirects()
                .follow(false)
                .cookie(Csrf.COOKIE, CSRF)
                .contentType(ContentType.URLENC)
                .formParam(Csrf.FIELD, CSRF)
                .post("/logout")
                .then()
                .statusCode(303)
                .extract()
                .headers()
                .getValues("Set-Cookie");
        assertThat(loggedOut)
                .anySatisfy(cookie ->
                        assertThat(cookie).startsWith("transplant_session=").contains("Secure"));
    }

    /** A log-in form posted from 127.0.0.2, the trusted proxy, naming the client in X-Forwarded-For. */
    private static int logInThroughProxy(String forwardedFor, String username) throws Exception {
        String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password=wrong&"
                + Csrf.FIELD + "=" + CSRF;
        String request = "POST /login HTTP/1.1\r\nHost: pod.example\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nCookie: " + Csrf.COOKIE + "=" + CSRF + "\r\n"
                + "X-Forwarded-For: " + forwardedFor + "\r\nX-Forwarded-Proto: https\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), RestAssured.port), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String status =
                    answer.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private List<String> clients() throws Throwable {
        return VertxContextSupport.<List<String>>subscribeAndAwait(() -> pool.query(
                        "SELECT DISTINCT subject FROM failed_logins WHERE subject LIKE 'client:%'")
                .execute()
                .map(rows -> {
                    List<String> subjects = new ArrayList<>();
                    for (Row row : rows) {
                        subjects.add(row.getString(0));
                    }
                    return subjects;
                }));
    }
}
