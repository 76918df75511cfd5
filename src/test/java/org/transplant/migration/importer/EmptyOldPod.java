package org.transplant.migration.importer;

import static org.transplant.testing.JsonAnswers.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An old pod with an empty account: every collection empty, and the move answered with {@code moveStatus} and
 * {@code problem} (a refusal) or, on 200, a report on its notices at the URL it names.
 */
final class EmptyOldPod implements AutoCloseable {
    private final HttpServer server;
    private final int moveStatus;
    private final JsonObject problem;
    private final JsonObject report;
    private final AtomicLong snapshot = new AtomicLong(1);
    private volatile boolean advancing;

    private EmptyOldPod(HttpServer server, int moveStatus, JsonObject problem, JsonObject report) {
        this.server = server;
        this.moveStatus = moveStatus;
        this.problem = problem;
        this.report = report;
    }

    static EmptyOldPod start(int moveStatus, JsonObject problem, JsonObject report) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        EmptyOldPod pod = new EmptyOldPod(server, moveStatus, problem, report);
        server.createContext("/", pod::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return pod;
    }

    /** From now on every read of the account names a later snapshot, as if its owner never stopped writing. */
    EmptyOldPod advancing() {
        advancing = true;
        return this;
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/migration/v1/move")) {
                if (moveStatus == 200) {
                    send(
                            exchange,
                            200,
                            "application/json",
                            new JsonObject().put("noticesUrl", issuer() + "/federation/v1/moves/key"));
                } else {
                    send(exchange, moveStatus, "application/problem+json", problem);
                }
            } else if (path.equals("/federation/v1/moves/key")) {
                send(exchange, 200, "application/json", report);
            } else if (path.equals("/migration/v1/account")) {
                send(
                        exchange,
                        200,
                        "application/json",
                        new JsonObject()
                                .put("handle", "old@" + issuer().substring("http://".length()))
                                .put("snapshot", advancing ? snapshot.incrementAndGet() : snapshot.get())
                                .put("moveNonce", "nonce")
                                .put("counts", new JsonObject()));
            } else if (path.startsWith("/migration/v1/")) {
                send(
                        exchange,
                        200,
                        "application/json",
                        new JsonObject().put("items", new JsonArray()).putNull("next"));
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
