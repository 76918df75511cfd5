package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;

/**
 * An old pod that answers the move with words of its own: a refusal whose problem carries a script and a phishing
 * text, a refusal of a known type with the same text, a report on its move notices full of it. The person reads
 * none of it, on the progress page or in the API: only this pod's own sentences.
 */
@QuarkusTest
@QuarkusTestResource(org.transplant.testing.PostgresResource.class)
class RemoteWordsImportTest {

    private static final String PHISHING = "<script>alert(document.cookie)</script>Your account is locked: enter"
            + " your password at https://evil.example/login";

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Test
    void aRefusalOfAnUnknownTypeIsToldByItsStatusOnly() throws Throwable {
        try (OldPod old = OldPod.start(409, new JsonObject().put("type", "https://evil.example/problems/locked")
                .put("title", PHISHING).put("status", 409).put("detail", PHISHING), null)) {
            String username = "rw_unknown";
            String job = startImport(username, old);
            Row ended = awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error")).isEqualTo("The old pod refused the move (HTTP 409).");
            assertNothingOfTheOldPodShown(username, job, "The old pod refused the move (HTTP 409).");
        }
    }

    @Test
    void aRefusalOfAKnownTypeIsToldInThisPodsWords() throws Throwable {
        try (OldPod old = OldPod.start(403, new JsonObject()
                .put("type", "https://transplant.social/problems/move-destination-mismatch").put("status", 403)
                .put("detail", PHISHING), null)) {
            String username = "rw_known";
            String job = startImport(username, old);
            Row ended = awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error")).contains("did not agree to move to this pod");
            assertNothingOfTheOldPodShown(username, job, "did not agree to move to this pod");
        }
    }

    @Test
    void theOldPodsReportOnItsNoticesIsWordedHere() throws Throwable {
        JsonObject report = new JsonObject().put("accepted", 0).put("refused", 3).put("unreachable", 0)
                .put("pending", 0).put("pods", new JsonArray()
                        .add(new JsonObject().put("pod", "friends.example").put("state", "REFUSED")
                                .put("reason", "bad-signature").put("outcome", PHISHING))
                        .add(new JsonObject().put("pod", "other.example:8443").put("state", "REFUSED")
                                .put("reason", PHISHING).put("outcome", PHISHING))
                        // Not a host name: the whole entry is dropped.
                        .add(new JsonObject().put("pod", PHISHING).put("state", "REFUSED")
                                .put("reason", "bad-signature")));
        try (OldPod old = OldPod.start(200, null, report)) {
            String username = "rw_report";
            String job = startImport(username, old);
            assertThat(awaitEnd(job).getString("state")).isEqualTo("DONE");
            Instant deadline = Instant.now().plusSeconds(30);
            while (row("SELECT notices FROM import_jobs WHERE id = $1", job).getValue(0) == null) {
                assertThat(Instant.now()).as("the report is read").isBefore(deadline);
                Thread.sleep(200);
            }
            String signature = "that pod could not verify the notice's signature with the key it holds";
            assertNothingOfTheOldPodShown(username, job, signature);
            JsonPath status = PodClient.as(PodClient.logIn(username)).accept("application/json")
                    .get("/api/v1/imports/" + job).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> pods = status.getList("notices.notAccepted");
            assertThat(pods).extracting(pod -> pod.get("pod")).containsExactly("friends.example",
                    "other.example:8443");
            assertThat(pods.get(0).get("outcome")).isEqualTo(signature);
            assertThat(pods.get(1).get("outcome")).isNull();
        }
    }

    /** Neither the API nor the page, nor the job's row, carries a word of the old pod's text. */
    private void assertNothingOfTheOldPodShown(String username, String job, String ownWords) throws Throwable {
        String session = PodClient.logIn(username);
        String api = PodClient.as(session).accept("application/json").get("/api/v1/imports/" + job).then()
                .statusCode(200).extract().asString();
        String page = PodClient.as(session).accept("text/html").get("/import/" + job).then().statusCode(200)
                .extract().asString();
        String stored = row("SELECT coalesce(error, '') || coalesce(notices::text, '') FROM import_jobs"
                + " WHERE id = $1", job).getString(0);
        for (String shown : List.of(api, page, stored)) {
            assertThat(shown).doesNotContain("evil.example", "enter your password", "alert(", "account is locked");
        }
        assertThat(api).contains(ownWords);
        assertThat(page).contains(ownWords.replace("'", "&#39;"));
    }

    /** An authorized import job for a new account against {@code old}, as the start and consent leave it. */
    private String startImport(String username, OldPod old) throws Throwable {
        PodClient.createAccount(username);
        long account = row("SELECT id FROM accounts WHERE username = $1", username).getLong(0);
        long pod = row("INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key) VALUES ($1, 'client',"
                + " $2, $3) RETURNING id", old.issuer(), secrets.seal("secret"), UUID.randomUUID().toString())
                .getLong(0);
        String job = UUID.randomUUID().toString();
        row("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode, state,"
                + " access_token, refresh_token) VALUES ($1, $2, $3, $4, $5, 'SKIP', 'AUTHORIZED', $6, $7)"
                + " RETURNING id", job, account, "old@" + old.issuer().substring("http://".length()),
                PodClient.handle(username), pod, secrets.seal("access"), secrets.seal("refresh"));
        return job;
    }

    private Row awaitEnd(String job) throws Throwable {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Row row = row("SELECT state, error FROM import_jobs WHERE id = $1", job);
            if (!List.of("AUTHORIZED", "IMPORTING", "FINISHING").contains(row.getString("state"))) {
                return row;
            }
            assertThat(Instant.now()).as("the job ends in time (error: %s)", row.getString("error"))
                    .isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private Row row(String sql, Object... params) throws Throwable {
        return VertxContextSupport.<Row>subscribeAndAwait(() -> pool.preparedQuery(sql)
                .execute(Tuple.from(params)).map(rows -> rows.iterator().next()));
    }

    /**
     * An old pod with an empty account: every collection empty, and the move answered with {@code moveStatus} and
     * {@code problem} (a refusal) or, on 200, a report on its notices at the URL it names.
     */
    private static final class OldPod implements AutoCloseable {
        private final HttpServer server;
        private final int moveStatus;
        private final JsonObject problem;
        private final JsonObject report;

        private OldPod(HttpServer server, int moveStatus, JsonObject problem, JsonObject report) {
            this.server = server;
            this.moveStatus = moveStatus;
            this.problem = problem;
            this.report = report;
        }

        static OldPod start(int moveStatus, JsonObject problem, JsonObject report) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OldPod pod = new OldPod(server, moveStatus, problem, report);
            server.createContext("/", pod::handle);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            return pod;
        }

        String issuer() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/migration/v1/move")) {
                    if (moveStatus == 200) {
                        send(exchange, 200, "application/json", new JsonObject().put("noticesUrl", issuer()
                                + "/federation/v1/moves/key"));
                    } else {
                        send(exchange, moveStatus, "application/problem+json", problem);
                    }
                } else if (path.equals("/federation/v1/moves/key")) {
                    send(exchange, 200, "application/json", report);
                } else if (path.equals("/migration/v1/account")) {
                    send(exchange, 200, "application/json", new JsonObject()
                            .put("handle", "old@" + issuer().substring("http://".length())).put("snapshot", 1)
                            .put("moveNonce", "nonce").put("counts", new JsonObject()));
                } else if (path.startsWith("/migration/v1/")) {
                    send(exchange, 200, "application/json", new JsonObject().put("items", new JsonArray())
                            .putNull("next"));
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        }

        private static void send(HttpExchange exchange, int status, String type, JsonObject body) throws IOException {
            byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
