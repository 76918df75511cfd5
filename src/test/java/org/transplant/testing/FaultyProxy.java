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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of a pod that can misbehave on cue: answer 503 with Retry-After, or drop the connection
 * without an answer (what a reset looks like to the client), for the next requests whose path starts with a
 * prefix. Everything else passes through unchanged, so a browser and another pod can use the pod through it.
 */
public final class FaultyProxy implements AutoCloseable {

    /**
     * 503 with Retry-After; 429 with Retry-After (a client over its share); a dropped connection before any answer;
     * half the body, then a dropped connection.
     */
    public enum Fault {
        UNAVAILABLE,
        TOO_MANY,
        RESET,
        TRUNCATE
    }

    private record Rule(String pathPrefix, Fault fault, AtomicInteger left) {}

    private static final Set<String> NOT_FORWARDED =
            Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ConcurrentLinkedQueue<Rule> rules = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Rewrite> rewrites = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Hold> holds = new ConcurrentLinkedQueue<>();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> answered = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger rangeRequests = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> grantTypes = new ConcurrentLinkedQueue<>();
    private volatile String target;
    private volatile Received received = (path, sent) -> true;

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

    /** Whether the client has taken in the first {@code sent} bytes of the answer to {@code path}. */
    @FunctionalInterface
    public interface Received {
        boolean holds(String path, long sent);
    }

    /**
     * A {@link Fault#TRUNCATE} closes the connection only once {@code received} says the client holds the half it
     * was sent (or after the suite's patience): on a loaded machine, bytes still in flight when the connection drops are
     * lost, and the client would have nothing to resume from.
     */
    public void truncateOnceReceived(Received received) {
        this.received = received;
    }

    /** A pod that lies: answers under a path prefix whose body the test rewrites (request URI and body in). */
    private record Rewrite(
            String pathPrefix, AtomicInteger left, boolean forever, BiFunction<URI, String, String> body) {}

    /** A pod that hangs: a request under a path prefix waits until the test lets it go. */
    public static final class Hold {
        private final String pathPrefix;
        private final boolean exact;
        private volatile URI heldRequest;
        private final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch answered = new CountDownLatch(1);
        private final AtomicInteger passing;
        private final AtomicInteger left = new AtomicInteger(1);

        private Hold(String pathPrefix, boolean exact, int passing) {
            this.pathPrefix = pathPrefix;
            this.exact = exact;
            this.passing = new AtomicInteger(passing);
        }

        /** Whether this request is the one to hold: the first after those let through. */
        private boolean takes(String path) {
            return (exact ? path.equals(pathPrefix) : path.startsWith(pathPrefix))
                    && passing.getAndDecrement() <= 0
                    && left.getAndDecrement() > 0;
        }

        /** The request held (path and query), once one is. */
        public URI heldRequest() {
            return heldRequest;
        }

        /** Waits until the held request, let go, has had its answer (or its fault) from the proxy. */
        public boolean awaitAnswered(Duration timeout) throws InterruptedException {
            return answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits until a request is held; false if none came in time. */
        public boolean awaitHeld(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }
    }

    /**
     * The next {@code times} answers under {@code pathPrefix} (a negative count: every one until {@link
     * #clearRewrites}) get the body {@code rewrite} makes of the pod's own (same status and headers).
     */
    public void rewriteNext(String pathPrefix, int times, BiFunction<URI, String, String> rewrite) {
        rewrites.add(new Rewrite(pathPrefix, new AtomicInteger(times), times < 0, rewrite));
    }

    public void clearRewrites() {
        rewrites.clear();
    }

    /** Holds the next request under {@code pathPrefix} until {@link Hold#release()}. */
    public Hold holdNext(String pathPrefix) {
        return holdAfter(pathPrefix, 0);
    }

    /**
     * Lets {@code passing} requests under {@code pathPrefix} through (faulted ones count), then holds the next until
     * {@link Hold#release()}: a client stopped at a page the test chooses, however fast it reads.
     */
    public Hold holdAfter(String pathPrefix, int passing) {
        Hold hold = new Hold(pathPrefix, false, passing);
        holds.add(hold);
        return hold;
    }

    /**
     * As {@link #holdAfter}, for requests to exactly {@code path}: a collection's pages, not the items under it
     * ({@code /migration/v1/photos}, not {@code /migration/v1/photos/<guid>/content}).
     */
    public Hold holdAfterExactly(String path, int passing) {
        Hold hold = new Hold(path, true, passing);
        holds.add(hold);
        return hold;
    }

    /** Every request that came in, in order of arrival, as "METHOD path?query" (held and faulted ones too). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** A request as it arrived: method and URI, and when (System.nanoTime). */
    public record Arrival(String request, long nanos) {}

    /** Every request with the moment it arrived, in order. */
    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The {@code grant_type} of every token request seen (form bodies to {@code /oauth/token}), in order. */
    public List<String> grantTypes() {
        return List.copyOf(grantTypes);
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    /** The bytes of the last whole answer to each path (a photo's content: what the client was sent of it). */
    public Map<String, Long> answeredBytes() {
        return Map.copyOf(answered);
    }

    /** Requests that asked for a byte range (a transfer going on from where it stopped). */
    public int rangeRequests() {
        return rangeRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        arrivals.add(new Arrival(exchange.getRequestMethod() + " " + exchange.getRequestURI(), System.nanoTime()));
        if (exchange.getRequestHeaders().containsKey("Range")) {
            rangeRequests.incrementAndGet();
        }
        Hold held = null;
        for (Hold hold : holds) {
            if (hold.takes(path)) {
                held = hold;
                hold.heldRequest = exchange.getRequestURI();
                hold.reached.countDown();
                try {
                    hold.released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                break;
            }
        }
        try {
            forward(exchange, path);
        } finally {
            if (held != null) {
                held.answered.countDown();
            }
        }
    }

    private void forward(HttpExchange exchange, String path) throws IOException {
        BiFunction<URI, String, String> rewrite = null;
        for (Rewrite rule : rewrites) {
            if (path.startsWith(rule.pathPrefix())
                    && (rule.forever() || rule.left().getAndDecrement() > 0)) {
                rewrite = rule.body();
                break;
            }
        }
        boolean truncate = false;
        for (Rule rule : rules) {
            if (rule.fault() == Fault.TRUNCATE
                    && path.startsWith(rule.pathPrefix())
                    && rule.left().getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                truncate = true;
                break;
            }
            if (rule.fault() != Fault.TRUNCATE
                    && path.startsWith(rule.pathPrefix())
                    && rule.left().getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                if (rule.fault() == Fault.RESET) {
                    exchange.close();
                } else {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(rule.fault() == Fault.TOO_MANY ? 429 : 503, -1);
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
            if (path.equals("/oauth/token")) {
                Matcher grant = Pattern.compile("(?:^|&)grant_type=([a-z_]+)")
                        .matcher(new String(body, StandardCharsets.US_ASCII));
                grantTypes.add(grant.find() ? grant.group(1) : "");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .timeout(Duration.ofMinutes(2))
                    .method(
                            exchange.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header :
                    exchange.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    header.getValue().forEach(value -> request.header(header.getKey(), value));
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            if (rewrite != null && response.statusCode() == 200) {
                answer = rewrite.apply(exchange.getRequestURI(), new String(answer, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
            }
            boolean empty = answer.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
            if (!empty) {
                OutputStream out = exchange.getResponseBody();
                if (truncate) {
                    // Half the promised body, then the connection goes: the client must ask for the rest.
                    int half = answer.length / 2;
                    out.write(answer, 0, half);
                    out.flush();
                    awaitReceived(path, half);
                    throw new IOException("cut off on purpose");
                }
                try (out) {
                    out.write(answer);
                }
                answered.put(path, (long) answer.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReceived(String path, long sent) throws InterruptedException {
        long giveUp = System.nanoTime() + Until.PATIENCE.toNanos();
        while (!received.holds(path, sent) && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
    }

    /** Lets every held request go and forgets the holds. */
    public void releaseHolds() {
        holds.forEach(Hold::release);
        holds.clear();
    }

    @Override
    public void close() {
        holds.forEach(Hold::release);
        server.stop(0);
    }
}
