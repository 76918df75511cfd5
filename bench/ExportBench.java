// Migration API export benchmark (issue: Migration API v1). JDK only; run through bench/export.sh, which starts a
// pod. Prints figures; asserts nothing. Usage: java bench/ExportBench.java <base-url> <admin-token> <pod-pid>
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
        if (reuse == null) {
            fill(admin, user, password);
        }
        String token = token(user, password);

        if (System.getenv("BENCH_STREAM_ONLY") != null) {
            for (int i = 0; i < 4; i++) {
                stream(token, pid);
            }
            return;
        }
        String first = base + "/migration/v1/posts?limit=100";
        String deep = deepPage(token, 500);
        for (int concurrency : new int[] {1, 8, 64}) {
            for (String[] page : new String[][] {{"page 1  ", first}, {"page 501", deep}}) {
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
        for (int i = 0; i < 3; i++) {
            stream(token, pid);
        }
        System.out.printf(
                "load average after: %s%n",
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                        .trim());
    }

    static void fill(String admin, String user, String password) throws Exception {
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
                                "{\"posts\":100000,\"commentsPerPost\":3,"
                                        + "\"likesPerPost\":5,\"photos\":20,\"photoBytes\":50000,\"contacts\":500,\"conversations\":20,"
                                        + "\"messagesPerConversation\":10,\"seed\":5}")
                        .header("Authorization", "Bearer " + admin)
                        .timeout(Duration.ofMinutes(5)),
                200);
        System.out.printf("filled 100k posts, 300k comments, 500k likes in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Requests per second for n requests of one page at a concurrency; prints latency percentiles when asked. */
    static double load(String url, String token, int concurrency, int n, boolean print) throws Exception {
        AtomicLong left = new AtomicLong(n);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(CompletableFuture.runAsync(
                    () -> {
                        while (left.getAndDecrement() > 0) {
                            long t = System.nanoTime();
                            try {
                                HttpResponse<byte[]> r =
                                        HTTP.send(get(url, token).build(), HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() != 200) {
                                    failures.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                            latencies.add(System.nanoTime() - t);
                        }
                    },
                    pool()));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (print) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf(
                    "    latency p50 %.1f ms, p99 %.1f ms, failures %d%n",
                    sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get((int) (sorted.size() * 0.99)) / 1e6,
                    failures.get());
        }
        return Math.round(n / seconds);
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

    static String deepPage(String token, int pages) throws Exception {
        String url = base + "/migration/v1/posts?limit=100";
        for (int i = 0; i < pages; i++) {
            String body = send(get(url, token), 200);
            Matcher m = Pattern.compile("\"next\":\"([^\"]+)\"").matcher(body);
            if (!m.find()) {
                break;
            }
            url = m.group(1);
        }
        return url;
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
