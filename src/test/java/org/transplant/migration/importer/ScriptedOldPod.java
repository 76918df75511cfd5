package org.transplant.migration.importer;

import static org.transplant.testing.JsonAnswers.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An old pod that serves what the test gives it, in two rounds: the first pass (snapshot 1), then, after it answered
 * the move with "changes pending", a delta (snapshot 2, read with {@code changedAfter=1}) holding what the person
 * changed meanwhile, after which the move succeeds. Collections are paged {@link #PAGE} items at a time with cursors.
 * Tokens are not checked: the test puts the job in the database authorized.
 */
final class ScriptedOldPod implements AutoCloseable {

    static final int PAGE = 100;

    private final HttpServer server;
    private final Map<String, JsonArray> first = new ConcurrentHashMap<>();
    private final Map<String, JsonArray> delta = new ConcurrentHashMap<>();
    private final AtomicInteger moves = new AtomicInteger();
    private volatile JsonObject account = new JsonObject();
    private volatile JsonObject deltaAccount;

    private ScriptedOldPod(HttpServer server) {
        this.server = server;
    }

    static ScriptedOldPod start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ScriptedOldPod pod = new ScriptedOldPod(server);
        server.createContext("/", pod::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return pod;
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The mover's handle on this pod, as the job names it. */
    String mover() {
        return "old@" + issuer().substring("http://".length());
    }

    /** Fields of the account document (profile, settings, aspects, formatVersion…) in the first pass. */
    ScriptedOldPod account(JsonObject fields) {
        account = fields;
        return this;
    }

    /** Fields of the account document when it is read again for the delta. */
    ScriptedOldPod deltaAccount(JsonObject fields) {
        deltaAccount = fields;
        return this;
    }

    /** The items of a collection in the first pass. */
    ScriptedOldPod collection(String name, JsonArray items) {
        first.put(name, items);
        return this;
    }

    /** What a collection serves with {@code changedAfter}: the changes, after the move asked for them once. */
    ScriptedOldPod delta(String name, JsonArray items) {
        delta.put(name, items);
        return this;
    }

    private boolean inDelta() {
        return deltaAccount != null && moves.get() > 0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/migration/v1/move")) {
                if (deltaAccount != null && moves.getAndIncrement() == 0) {
                    send(
                            exchange,
                            409,
                            "application/problem+json",
                            new JsonObject()
                                    .put("type", "https://transplant.social/problems/changes-pending")
                                    .put("status", 409));
                } else {
                    moves.incrementAndGet();
                    send(exchange, 200, "application/json", new JsonObject());
                }
            } else if (path.equals("/migration/v1/account")) {
                JsonObject document = (inDelta() ? deltaAccount : account).copy();
                document.put("handle", mover())
                        .put("snapshot", inDelta() ? 2 : 1)
                        .put("moveNonce", "nonce");
                if (!document.containsKey("counts")) {
                    JsonObject counts = new JsonObject();
                    Map<String, JsonArray> served = new HashMap<>(first);
                    if (inDelta()) {
                        served.putAll(delta);
                    }
                    served.forEach((name, items) -> counts.put(name, items.size()));
                    document.put("counts", counts);
                }
                send(exchange, 200, "application/json", document);
            } else if (path.startsWith("/migration/v1/")) {
                String name = path.substring("/migration/v1/".length());
                JsonArray all = query.containsKey("changedAfter")
                        ? delta.getOrDefault(name, new JsonArray())
                        : first.getOrDefault(name, new JsonArray());
                int from = query.containsKey("cursor") ? Integer.parseInt(query.get("cursor")) : 0;
                int to = Math.min(all.size(), from + PAGE);
                JsonArray items = new JsonArray();
                for (int i = from; i < to; i++) {
                    items.add(all.getValue(i));
                }
                JsonObject page = new JsonObject().put("formatVersion", "1.1").put("items", items);
                if (to < all.size()) {
                    page.put("next", issuer() + path + "?limit=" + PAGE + "&cursor=" + to);
                } else {
                    page.putNull("next");
                }
                send(exchange, 200, "application/json", page);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int at = pair.indexOf('=');
            if (at > 0) {
                parameters.put(
                        pair.substring(0, at), URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
