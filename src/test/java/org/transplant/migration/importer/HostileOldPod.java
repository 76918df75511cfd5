package org.transplant.migration.importer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An old pod that speaks just enough of the Migration API for an import to run (the account, empty collections,
 * one page of photos, their bytes, the move) and lies about its photos as told: any announced type, size and
 * guid, any bytes, or an endless body. Tokens are not checked: the test puts the job in the database authorized.
 */
final class HostileOldPod implements AutoCloseable {

    private final HttpServer server;
    private final JsonArray photos = new JsonArray();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    private final Map<String, Long> endless = new ConcurrentHashMap<>();
    private final Set<String> cutOff = ConcurrentHashMap.newKeySet();

    private HostileOldPod(HttpServer server) {
        this.server = server;
    }

    static HostileOldPod start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HostileOldPod pod = new HostileOldPod(server);
        server.createContext("/", pod::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return pod;
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A photo whose bytes are {@code bytes} (their real sha256 announced) described as {@code contentType}. */
    HostileOldPod photo(String guid, String contentType, byte[] bytes) {
        contents.put(guid, bytes);
        photos.add(describe(guid, contentType, sha256(bytes)).put("size", bytes.length));
        return this;
    }

    /** A photo announced as 100 bytes whose body goes on for {@code bytes} bytes (a PNG signature, then zeros). */
    HostileOldPod hugePhoto(String guid, long bytes) {
        endless.put(guid, bytes);
        photos.add(describe(guid, "image/png", sha256(new byte[100])).put("size", 100));
        return this;
    }

    /** Whether sending the bytes of {@code guid} failed midway because the other side hung up. */
    boolean wasCutOff(String guid) {
        return cutOff.contains(guid);
    }

    private static JsonObject describe(String guid, String contentType, String sha) {
        return new JsonObject().put("guid", guid).put("public", true).put("contentType", contentType)
                .put("sha256", sha).put("width", 1).put("height", 1).put("createdAt", "2025-01-01T10:00:00Z");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/migration/v1/move")) {
                json(exchange, new JsonObject());
            } else if (path.equals("/migration/v1/account")) {
                // The identity the import was started for: the new pod compares the two before it writes anything.
                json(exchange, new JsonObject().put("handle", "old@" + issuer().substring("http://".length()))
                        .put("snapshot", 1).put("moveNonce", "nonce")
                        .put("counts", new JsonObject().put("photos", photos.size())));
            } else if (path.startsWith("/migration/v1/photos/") && path.endsWith("/content")) {
                content(exchange, path.substring("/migration/v1/photos/".length(), path.length() - "/content".length()));
            } else if (path.equals("/migration/v1/photos")) {
                json(exchange, new JsonObject().put("items", photos).putNull("next"));
            } else if (path.startsWith("/migration/v1/")) {
                json(exchange, new JsonObject().put("items", new JsonArray()).putNull("next"));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void content(HttpExchange exchange, String guid) throws IOException {
        Long huge = endless.get(guid);
        if (huge == null) {
            byte[] bytes = contents.get(guid);
            exchange.sendResponseHeaders(bytes == null ? 404 : 200, bytes == null ? -1 : bytes.length);
            if (bytes != null) {
                exchange.getResponseBody().write(bytes);
            }
            return;
        }
        // Chunked: no Content-Length to believe or not; the photo list said 100 bytes.
        exchange.getResponseHeaders().set("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        byte[] chunk = new byte[64 * 1024];
        System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, 0, chunk, 0, 8);
        try {
            for (long sent = 0; sent < huge; sent += chunk.length) {
                out.write(chunk);
            }
        } catch (IOException e) {
            cutOff.add(guid);
        }
    }

    private static void json(HttpExchange exchange, JsonObject body) throws IOException {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
