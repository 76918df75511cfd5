package org.transplant.migration.importer;

import static org.transplant.testing.JsonAnswers.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.transplant.testing.Until;

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
    private volatile String heldPath;
    private volatile int heldStatus;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

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

    /**
     * The first request for {@code path} waits until {@link #release()}, then is refused with {@code status}: the
     * test acts while the importer waits for that answer.
     */
    EmptyOldPod holdingFirst(String path, int status) {
        heldPath = path;
        heldStatus = status;
        return this;
    }

    /** Waits until the held request has come in. */
    boolean awaitHeld() throws InterruptedException {
        return held.await(Until.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(heldPath) && held.getCount() > 0) {
                held.countDown();
                released.await(Until.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                send(exchange, heldStatus, "application/problem+json", new JsonObject().put("status", heldStatus));
                return;
            }
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
