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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** Status answered for a photo's bytes instead of them: always, or only the first {@code times} times. */
    private final Map<String, Integer> statusFor = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> statusTimes = new ConcurrentHashMap<>();
    private final Set<String> ignoresRange = ConcurrentHashMap.newKeySet();
    /** The Range header (or "none") of every request for a photo's bytes, in order. */
    private final Map<String, List<String>> contentRequests = new ConcurrentHashMap<>();

    private final AtomicInteger photoPages = new AtomicInteger();
    /** Requests under these paths wait until their latch is counted down (see {@link #holding}). */
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

    private volatile Long announcedPhotos;

    private HostileOldPod(HttpServer server) {
        this.server = server;
    }

    static HostileOldPod start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HostileOldPod pod = new HostileOldPod(server);
        server.createContext("/", pod::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        return pod;
    }

    /** Holds every request whose path starts with {@code pathPrefix} until {@link #release} lets them go. */
    HostileOldPod holding(String pathPrefix) {
        holds.put(pathPrefix, new CountDownLatch(1));
        return this;
    }

    void release(String pathPrefix) {
        holds.get(pathPrefix).countDown();
    }

    /** Requests for photo bytes so far, of every photo. */
    int contentRequests() {
        return contentRequests.values().stream().mapToInt(List::size).sum();
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

    /** A photo whose bytes are {@code bytes}, announced with a sha256 they do not have (damaged, or changed). */
    HostileOldPod damagedPhoto(String guid, byte[] bytes) {
        contents.put(guid, bytes);
        photos.add(describe(guid, "image/png", sha256(new byte[] {1, 2, 3})).put("size", bytes.length));
        return this;
    }

    /** The bytes of {@code guid} are answered with {@code status} (a 404, a 416 whatever the Range…) instead. */
    HostileOldPod answers(String guid, int status) {
        statusFor.put(guid, status);
        return this;
    }

    /** The first {@code times} requests for the bytes of {@code guid} are answered with {@code status}. */
    HostileOldPod answersFirst(String guid, int status, int times) {
        statusFor.put(guid, status);
        statusTimes.put(guid, new AtomicInteger(times));
        return this;
    }

    /** The bytes of {@code guid} come whole (200) whatever Range was asked for. */
    HostileOldPod ignoresRange(String guid) {
        ignoresRange.add(guid);
        return this;
    }

    /** Announces this many photos in the account's counts instead of the true number. */
    HostileOldPod announcesPhotos(long count) {
        announcedPhotos = count;
        return this;
    }

    /** The Range header of each request for the bytes of {@code guid} ("none" when there was none), in order. */
    List<String> contentRequests(String guid) {
        return List.copyOf(contentRequests.getOrDefault(guid, List.of()));
    }

    /** How many pages of the photo list were read. */
    int photoPagesRead() {
        return photoPages.get();
    }

    /** Whether sending the bytes of {@code guid} failed midway because the other side hung up. */
    boolean wasCutOff(String guid) {
        return cutOff.contains(guid);
    }

    private static JsonObject describe(String guid, String contentType, String sha) {
        return new JsonObject()
                .put("guid", guid)
                .put("public", true)
                .put("contentType", contentType)
                .put("sha256", sha)
                .put("width", 1)
                .put("height", 1)
                .put("createdAt", "2025-01-01T10:00:00Z");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.endsWith("/content")) {
                // A photo's bytes wait once the request is counted (in content).
                awaitRelease(path);
            }
            if (path.equals("/migration/v1/move")) {
                json(exchange, new JsonObject());
            } else if (path.equals("/migration/v1/account")) {
                // The identity the import was started for: the new pod compares the two before it writes anything.
                json(
                        exchange,
                        new JsonObject()
                                .put("handle", "old@" + issuer().substring("http://".length()))
                                .put("snapshot", 1)
                                .put("moveNonce", "nonce")
                                .put(
                                        "counts",
                                        new JsonObject()
                                                .put(
                                                        "photos",
                                                        announcedPhotos != null ? announcedPhotos : photos.size())));
            } else if (path.startsWith("/migration/v1/photos/") && path.endsWith("/content")) {
                content(
                        exchange,
                        path.substring("/migration/v1/photos/".length(), path.length() - "/content".length()));
            } else if (path.equals("/migration/v1/photos")) {
                photoPage(exchange);
            } else if (path.startsWith("/migration/v1/")) {
                json(exchange, new JsonObject().put("items", new JsonArray()).putNull("next"));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void awaitRelease(String path) {
        for (Map.Entry<String, CountDownLatch> hold : holds.entrySet()) {
            if (path.startsWith(hold.getKey())) {
                try {
                    hold.getValue().await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A page of the photo list: {@code limit} photos from the offset the cursor names. */
    private void photoPage(HttpExchange exchange) throws IOException {
        photoPages.incrementAndGet();
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int at = pair.indexOf('=');
            query.put(pair.substring(0, at), pair.substring(at + 1));
        }
        int from = Integer.parseInt(query.getOrDefault("cursor", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
        JsonArray page = new JsonArray(
                photos.getList().subList(Math.min(from, photos.size()), Math.min(from + limit, photos.size())));
        JsonObject body = new JsonObject().put("items", page);
        if (from + limit < photos.size()) {
            body.put("next", issuer() + "/migration/v1/photos?cursor=" + (from + limit));
        } else {
            body.putNull("next");
        }
        json(exchange, body);
    }

    private void content(HttpExchange exchange, String guid) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        contentRequests.computeIfAbsent(guid, g -> new CopyOnWriteArrayList<>()).add(range == null ? "none" : range);
        awaitRelease(exchange.getRequestURI().getPath());
        Integer status = statusFor.get(guid);
        AtomicInteger times = statusTimes.get(guid);
        if (status != null && (times == null || times.getAndDecrement() > 0)) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        Long huge = endless.get(guid);
        if (huge == null) {
            byte[] bytes = contents.get(guid);
            if (bytes == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            // Range as RFC 9110 §14 says (bytes=N- only), unless this photo's pod ignores it.
            if (range != null && range.matches("bytes=\\d+-") && !ignoresRange.contains(guid)) {
                long start = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
                if (start >= bytes.length) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders()
                        .set("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
                exchange.sendResponseHeaders(206, bytes.length - start);
                exchange.getResponseBody().write(bytes, (int) start, (int) (bytes.length - start));
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            return;
        }
        // Chunked: no Content-Length to believe or not; the photo list said 100 bytes.
        exchange.getResponseHeaders().set("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        byte[] chunk = new byte[64 * 1024];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, chunk, 0, 8);
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
