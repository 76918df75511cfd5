package org.transplant.federation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.testing.JsonAnswers.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.transplant.discovery.WebFingerResource;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * Contacts' pods that refuse a move notice with words of their own (a script, a fake log-in request): the delivery
 * keeps a code, and the report the new pod and the person read says what this pod says, never what they said.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RefusedNoticeWordsTest {

    private static final String PHISHING = "<script>alert(document.cookie)</script>Your account is locked: enter"
            + " your password at https://evil.example/login";

    @Inject
    Pool pool;

    @Test
    void aRefusalIsKeptAsACodeAndWordedByThisPod() throws Throwable {
        try (ContactPod known = ContactPod.start(403, "https://transplant.social/problems/bad-signature");
                ContactPod unknown = ContactPod.start(422, "https://evil.example/problems/locked");
                ContactPod lookalike =
                        ContactPod.start(422, "https://transplant.social/problems/bad-signature " + PHISHING)) {
            PodClient.createAccount("rn_mover");
            long account =
                    row("SELECT id FROM accounts WHERE username = 'rn_mover'").getLong(0);
            String notice = UUID.randomUUID().toString();
            String key = UUID.randomUUID().toString();
            row(
                    "INSERT INTO move_notices (id, account_id, old_handle, new_handle, jws, status_key) VALUES ($1::uuid,"
                            + " $2, $3, 'rn_mover@new.example', 'a.b.c', $4) RETURNING id",
                    notice,
                    account,
                    PodClient.handle("rn_mover"),
                    key);
            for (ContactPod pod : List.of(known, unknown, lookalike)) {
                row(
                        "INSERT INTO move_deliveries (notice_id, pod_host, contact_handle) VALUES ($1::uuid, $2, $3)"
                                + " RETURNING pod_host",
                        notice,
                        pod.host(),
                        "bob@" + pod.host());
            }
            Until.seen("every delivery to end (pending ones)", () -> pending(notice), pending -> pending == 0);

            assertThat(outcome(notice, known)).isEqualTo("REFUSED|bad-signature");
            assertThat(outcome(notice, unknown)).isEqualTo("REFUSED|http-422");
            assertThat(outcome(notice, lookalike)).isEqualTo("REFUSED|http-422");
            String report = given().get("/federation/v1/moves/" + key)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(report).doesNotContain("evil.example", "enter your password", "alert(", "account is locked");
            List<Map<String, Object>> pods = JsonPath.from(report).getList("pods");
            Map<String, Map<String, Object>> byHost = new HashMap<>();
            pods.forEach(pod -> byHost.put((String) pod.get("pod"), pod));
            assertThat(byHost.get(known.host()))
                    .containsEntry("reason", "bad-signature")
                    .containsEntry("outcome", "that pod could not verify the notice's signature with the key it holds");
            assertThat(byHost.get(unknown.host()))
                    .containsEntry("reason", "http-422")
                    .containsEntry("outcome", "that pod answered HTTP 422");
        }
    }

    private String outcome(String notice, ContactPod pod) throws Throwable {
        return row(
                        "SELECT state || '|' || coalesce(outcome, '') FROM move_deliveries WHERE notice_id = $1::uuid"
                                + " AND pod_host = $2",
                        notice,
                        pod.host())
                .getString(0);
    }

    private long pending(String notice) throws Exception {
        try {
            return row("SELECT count(*) FROM move_deliveries WHERE notice_id = $1::uuid AND state = 'PENDING'", notice)
                    .getLong(0);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private Row row(String sql, Object... params) throws Throwable {
        return VertxContextSupport.<Row>subscribeAndAwait(() -> pool.preparedQuery(sql)
                .execute(Tuple.from(params))
                .map(rows -> rows.iterator().next()));
    }

    /** A contact's pod: WebFinger names its inbox, which refuses every notice with the given problem type. */
    private static final class ContactPod implements AutoCloseable {
        private final HttpServer server;
        private final int status;
        private final String type;

        private ContactPod(HttpServer server, int status, String type) {
            this.server = server;
            this.status = status;
            this.type = type;
        }

        static ContactPod start(int status, String type) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ContactPod pod = new ContactPod(server, status, type);
            server.createContext("/", pod::handle);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            return pod;
        }

        String host() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/.well-known/webfinger")) {
                    send(
                            exchange,
                            200,
                            WebFingerResource.JRD,
                            new JsonObject()
                                    .put("subject", "acct:bob@" + host())
                                    .put(
                                            "links",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("rel", WebFingerResource.REL_INBOX)
                                                            .put("href", "http://" + host() + "/inbox"))));
                } else if (path.equals("/inbox")) {
                    exchange.getRequestBody().readAllBytes();
                    send(
                            exchange,
                            status,
                            "application/problem+json",
                            new JsonObject()
                                    .put("type", type)
                                    .put("title", PHISHING)
                                    .put("status", status)
                                    .put("detail", PHISHING));
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
