package org.transplant.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of a pod that can misbehave on cue: answer 503 with Retry-After, or drop the connection
 * without an answer (what a reset looks like to the client), for the next requests whose path starts with a
 * prefix. Everything else passes through unchanged, so a browser and another pod can use the pod through it.
 */
public final class FaultyProxy implements AutoCloseable {

    /** 503 with Retry-After; a dropped connection before any answer; half the body, then a dropped connection. */
    public enum Fault { UNAVAILABLE, RESET, TRUNCATE }

    private record Rule(String pathPrefix, Fault fault, AtomicInteger left) {
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Rule> rules = new ConcurrentLinkedQueue<>();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final AtomicInteger rangeRequests = new AtomicInteger();
    private volatile String target;

    private FaultyProxy(HttpServer server) {
        this.server = server;
    }

    public static FaultyProxy start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        FaultyProxy proxy = new FaultyProxy(server);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        return proxy;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void forwardTo(String targetBaseUrl) {
        this.target = targetBaseUrl;
    }

    /** The next {@code times} requests under {@code pathPrefix} get {@code fault}. */
    public void failNext(String pathPrefix, Fault fault, int times) {
        rules.add(new Rule(pathPrefix, fault, new AtomicInteger(times)));
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    /** Requests that asked for a byte range (a transfer going on from where it stopped). */
    public int rangeRequests() {
        return rangeRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestHeaders().containsKey("Range")) {
            rangeRequests.incrementAndGet();
        }
        boolean truncate = false;
        for (Rule rule : rules) {
            if (rule.fault() == Fault.TRUNCATE && path.startsWith(rule.pathPrefix())
                    && rule.left().getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                truncate = true;
                break;
            }
            if (rule.fault() != Fault.TRUNCATE && path.startsWith(rule.pathPrefix())
                    && rule.left().getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                if (rule.fault() == Fault.RESET) {
                    exchange.close();
                } else {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                }
                return;
            }
        }
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .timeout(Duration.ofMinutes(2))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
                    header.getValue().forEach(value -> request.header(header.getKey(), value));
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            boolean empty = answer.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
            if (!empty) {
                OutputStream out = exchange.getResponseBody();
                if (truncate) {
                    // Half the promised body, then the connection goes: the client must ask for the rest.
                    out.write(answer, 0, answer.length / 2);
                    out.flush();
                    throw new IOException("cut off on purpose");
                }
                try (out) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
