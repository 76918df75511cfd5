// Migration API export benchmark (issue: Migration API v1). JDK only; run through bench/export.sh, which starts a
// pod. Prints figures; asserts nothing. Usage: java bench/ExportBench.java <base-url> <admin-token> <pod-pid>
// BENCH_POSTS: posts to fill (100000 by default; 1000000 holds a page 10,000 of 100). BENCH_DEEP_PAGE: the deep page
// measured (501 by default; the page reached, at most the last, is printed). BENCH_USER: an account filled earlier.
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ExportBench {

    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public static void main(String[] args) throws Exception {
        base = args[0];
        String admin = args[1];
        long pid = Long.parseLong(args[2]);
        // BENCH_USER names an account filled earlier (password "bench password 1234") to skip the fill.
        String reuse = System.getenv("BENCH_USER");
        String user = reuse != null ? reuse : "bench" + System.currentTimeMillis() % 100000;
        String password = "bench password 1234";
        int posts = Integer.parseInt(System.getenv().getOrDefault("BENCH_POSTS", "100000"));
        int deepPage = Integer.parseInt(System.getenv().getOrDefault("BENCH_DEEP_PAGE", "501"));
        if (reuse == null) {
            fill(admin, user, password, posts);
            String userFile = System.getenv("BENCH_USER_FILE");
            if (userFile != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(userFile), user);
            }
        }
        pod = pid;
        String token = token(user, password);
        if (System.getenv("BENCH_PRINT_TOKEN") != null) {
            System.out.println(token); // for profiling by hand against a pod left running
            return;
        }

        if (System.getenv("BENCH_STREAM_ONLY") != null) {
            for (int i = 0; i < 4; i++) {
                stream(token, pid);
            }
            return;
        }
        String first = base + "/migration/v1/posts?limit=100";
        long t0 = System.nanoTime();
        // The walk is kept beside a kept account (BENCH_DATA): the same cursor reads the same page again.
        String userFile = System.getenv("BENCH_USER_FILE");
        java.nio.file.Path walked = userFile == null ? null : java.nio.file.Path.of(userFile + "-page-" + deepPage);
        Deep deep;
        if (walked != null && java.nio.file.Files.exists(walked)) {
            String[] kept = java.nio.file.Files.readString(walked).split(" ", 2);
            deep = new Deep(Integer.parseInt(kept[0]), base + kept[1]);
        } else {
            deep = deepPage(token, deepPage);
            if (walked != null) {
                java.nio.file.Files.writeString(
                        walked,
                        deep.page() + " " + URI.create(deep.url()).getRawPath() + "?"
                                + URI.create(deep.url()).getRawQuery());
            }
        }
        System.out.printf(
                "page %d of 100 posts (asked for %d), walked to in %.1f s%n",
                deep.page(), deepPage, (System.nanoTime() - t0) / 1e9);
        String deepName = "page " + deep.page();
        for (int concurrency : new int[] {1, 8, 64}) {
            for (String[] page : new String[][] {{"page 1", first}, {deepName, deep.url()}}) {
                List<Double> rates = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    rates.add(load(page[1], token, concurrency, concurrency == 1 ? 300 : 2000, round == 2));
                }
                System.out.printf("  %s at %2d clients: %s pages/s over 3 rounds%n", page[0], concurrency, rates);
            }
        }
        // The per-request floor: small pages at the highest concurrency.
        List<Double> small = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            small.add(load(base + "/migration/v1/posts?limit=10", token, 64, 4000, round == 2));
        }
        System.out.printf("  page 1 (limit=10) at 64 clients: %s pages/s over 3 rounds%n", small);
        if (System.getenv("BENCH_NO_STREAM") == null) {
            for (int i = 0; i < 3; i++) {
                stream(token, pid);
            }
        }
        System.out.printf(
                "load average after: %s%n",
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                        .trim());
    }

    static void fill(String admin, String user, String password, int posts) throws Exception {
        send(
                post(
                                "/admin/v1/accounts",
                                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"email\":\"" + user
                                        + "@example.org\"}")
                        .header("Authorization", "Bearer " + admin),
                201);
        long t0 = System.nanoTime();
        send(
                post(
                                "/admin/v1/accounts/" + user + "/synthetic-content",
                                "{\"posts\":" + posts + ",\"commentsPerPost\":3,"
                                        + "\"likesPerPost\":5,\"photos\":20,\"photoBytes\":50000,\"contacts\":500,\"conversations\":20,"
                                        + "\"messagesPerConversation\":10,\"seed\":5}")
                        .header("Authorization", "Bearer " + admin)
                        .timeout(Duration.ofMinutes(60)),
                200);
        System.out.printf(
                "filled %d posts, %d comments, %d likes in %.1f s%n",
                posts, 3L * posts, 5L * posts, (System.nanoTime() - t0) / 1e9);
    }

    /** Requests per second for n requests of one page at a concurrency; prints latency percentiles when asked. */
    static double load(String url, String token, int concurrency, int n, boolean print) throws Exception {
        AtomicLong left = new AtomicLong(n);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long clientCpu0 = clientCpu();
        long podCpu0 = podCpu();
        long pgCpu0 = pgCpu();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(CompletableFuture.runAsync(
                    () -> {
                        RawClient raw = JDK_CLIENT ? null : new RawClient(url, token);
                        while (left.getAndDecrement() > 0) {
                            long t = System.nanoTime();
                            try {
                                int status = raw != null
                                        ? raw.get()
                                        : HTTP.send(get(url, token).build(), HttpResponse.BodyHandlers.ofByteArray())
                                                .statusCode();
                                if (status != 200) {
                                    failures.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failures.incrementAndGet();
                                if (raw != null) {
                                    raw.close();
                                }
                            }
                            latencies.add(System.nanoTime() - t);
                        }
                        if (raw != null) {
                            raw.close();
                        }
                    },
                    pool()));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        double clientMs = (clientCpu() - clientCpu0) / 1e6 / n;
        double podMs = (podCpu() - podCpu0) / 1e6 / n;
        double pgMs = (pgCpu() - pgCpu0) / 1e6 / n;
        if (print) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf(
                    "    latency p50 %.1f ms, p99 %.1f ms, failures %d; CPU a page: pod %.2f ms, its PostgreSQL %.2f ms,"
                            + " this client %.2f ms; load %s%n",
                    sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get((int) (sorted.size() * 0.99)) / 1e6,
                    failures.get(),
                    podMs,
                    pgMs,
                    clientMs,
                    loadavg());
        }
        return Math.round(n / seconds);
    }

    static long pod;

    /** BENCH_CLIENT=jdk loads with the JDK's HttpClient (as the figures before 2026-12-04 did) instead of RawClient. */
    static final boolean JDK_CLIENT = "jdk".equals(System.getenv("BENCH_CLIENT"));

    /**
     * One keep-alive HTTP/1.1 connection that sends the same GET and reads each answer whole (Content-Length or
     * chunked) into a buffer it reuses: what a load client costs at least, so that the pod, not the JDK
     * HttpClient's per-request work, is what is measured. Not a general client: one host, plain http.
     */
    static final class RawClient {
        private final String host;
        private final int port;
        private final byte[] request;
        private java.net.Socket socket;
        private java.io.InputStream in;
        private byte[] buffer = new byte[64 * 1024];

        RawClient(String url, String token) {
            URI uri = URI.create(url);
            host = uri.getHost();
            port = uri.getPort();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            request = ("GET " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer "
                            + token + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        int get() throws java.io.IOException {
            if (socket == null) {
                socket = new java.net.Socket(host, port);
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
            }
            socket.getOutputStream().write(request);
            String status = line();
            long length = -1;
            boolean chunked = false;
            for (String header; !(header = line()).isEmpty(); ) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long chunk; (chunk = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(chunk);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        private void skip(long n) throws java.io.IOException {
            while (n > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (read < 0) {
                    throw new java.io.EOFException();
                }
                n -= read;
            }
        }

        private String line() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new java.io.EOFException();
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (java.io.IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** This client's CPU time (all threads), in ns. */
    static long clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The pod's CPU time (user + system, from /proc), in ns; 0 when it cannot be read. */
    static long podCpu() {
        return cpu(pod);
    }

    static long cpu(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // clock ticks of 10 ms
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * The CPU time of the pod's embedded PostgreSQL (BENCH_PG_PID, its postmaster, and the backends under it), in
     * ns; 0 without it. A backend that ended within the round is not counted (the pod keeps its connections).
     */
    static long pgCpu() {
        String postmaster = System.getenv("BENCH_PG_PID");
        if (postmaster == null) {
            return 0;
        }
        long parent = Long.parseLong(postmaster.trim());
        long sum = cpu(parent);
        try (java.nio.file.DirectoryStream<java.nio.file.Path> procs =
                java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc"), "[0-9]*")) {
            for (java.nio.file.Path proc : procs) {
                try {
                    String stat = java.nio.file.Files.readString(proc.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == parent) {
                        sum += cpu(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (Exception e) {
                    // a process that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return sum;
    }

    static String loadavg() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    static final java.util.concurrent.ExecutorService WORKERS =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            });

    static java.util.concurrent.ExecutorService pool() {
        return WORKERS;
    }

    /** The whole posts collection as NDJSON: rows/s, and the pod's heap sampled from /q/metrics meanwhile. */
    static void stream(String token, long pid) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                try {
                    String metrics = HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    long heap = 0;
                    for (String line : metrics.split("\n")) {
                        if (line.startsWith("jvm_memory_used_bytes") && line.contains("area=\"heap\"")) {
                            heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        }
                    }
                    maxHeap.accumulateAndGet(heap, Math::max);
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        // Lines are counted as bytes, not decoded: the figure is what the pod serves, not what this client parses.
        HttpResponse<java.io.InputStream> response = HTTP.send(
                get(base + "/migration/v1/posts", token)
                        .header("Accept", "application/x-ndjson")
                        .timeout(Duration.ofMinutes(5))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long rows = 0;
        try (java.io.InputStream body = response.body()) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        rows++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        sampler.join();
        String rss = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM"))
                .findFirst()
                .orElse("VmHWM: ?");
        System.out.printf(
                "NDJSON posts (each with its comments and likes): %d rows in %.1f s = %.0f posts/s;"
                        + " pod heap max %.0f MB while streaming; pod peak RSS %s%n",
                rows,
                seconds,
                rows / seconds,
                maxHeap.get() / 1e6,
                rss.replace("VmHWM:", "").trim());
    }

    record Deep(int page, String url) {}

    /**
     * The address of page {@code page} of 100 posts (or the last one): walked with pages of 1,000 while ten or more
     * pages of 100 are left, then of 100; a cursor is a position, so the page reached is the same either way.
     */
    static Deep deepPage(String token, int page) throws Exception {
        String url = base + "/migration/v1/posts?limit=100";
        int at = 1;
        Pattern next = Pattern.compile("\"next\":\"([^\"]+)\"");
        while (at < page) {
            boolean big = page - at >= 10;
            String body = send(get(url.replaceAll("limit=\\d+", big ? "limit=1000" : "limit=100"), token), 200);
            Matcher m = next.matcher(body);
            if (!m.find()) {
                break;
            }
            url = m.group(1).replaceAll("limit=\\d+", "limit=100");
            at += big ? 10 : 1;
        }
        return new Deep(at, url);
    }

    /** The person's way: register a client, log in, consent, exchange the code (PKCE S256). */
    static String token(String user, String password) throws Exception {
        String redirect = "http://127.0.0.1:9/callback";
        String reg = send(
                post(
                        "/oauth/register",
                        "{\"client_name\":\"Export bench\",\"redirect_uris\":[\"" + redirect
                                + "\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}"),
                201);
        String clientId = field(reg, "client_id");
        String secret = field(reg, "client_secret");
        String csrf = csrf(send(HttpRequest.newBuilder(URI.create(base + "/login")), 200));
        send(form("/login", "username=" + user + "&password=" + enc(password) + "&csrf=" + csrf), 303);
        byte[] verifierBytes = new byte[32];
        new SecureRandom().nextBytes(verifierBytes);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(verifierBytes);
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String query = "response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirect)
                + "&scope=" + enc("migration:read") + "&state=s&code_challenge=" + challenge
                + "&code_challenge_method=S256";
        String consent = send(HttpRequest.newBuilder(URI.create(base + "/oauth/authorize?" + query)), 200);
        StringBuilder fields = new StringBuilder("decision=allow");
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
                .matcher(consent);
        while (hidden.find()) {
            fields.append('&').append(hidden.group(1)).append('=').append(enc(unescape(hidden.group(2))));
        }
        HttpResponse<String> answer =
                HTTP.send(form("/oauth/authorize", fields.toString()).build(), HttpResponse.BodyHandlers.ofString());
        String location = answer.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(
                        "no redirect after consent: " + answer.statusCode() + " " + answer.body()));
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        String tokens = send(
                form(
                                "/oauth/token",
                                "grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(redirect)
                                        + "&code_verifier=" + verifier)
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((enc(clientId) + ":" + enc(secret))
                                                        .getBytes(StandardCharsets.UTF_8))),
                200);
        return field(tokens, "access_token");
    }

    static HttpRequest.Builder get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60));
    }

    static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    static HttpRequest.Builder form(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        m.find();
        return m.group(1);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String unescape(String html) {
        return html.replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#x2F;", "/")
                .replace("&#47;", "/");
    }
}
