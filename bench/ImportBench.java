import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Moves one synthetic account from pod A to pod B the way a person would (the import form's JSON twin, A's log-in
 * and consent pages, B's quarkus-oidc callback), then prints the time from "Allow" to DONE, the time of each phase,
 * rows/s, and each pod's peak RSS and heap. Needs only the JDK: java bench/ImportBench.java A B admin pidA pidB a|b|peer
 */
public class ImportBench {

    static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
    static final String PASSWORD = "bench password 1234";

    /**
     * How often the move's status is read (BENCH_POLL_MS, 100 ms by default) and each pod's heap (1 s): every read
     * is work for the pods being measured, which the other side of peer.sh does not have.
     */
    static final long POLL_MILLIS = Long.parseLong(System.getenv().getOrDefault("BENCH_POLL_MS", "100"));

    static final long SAMPLE_MILLIS = 1000;

    public static void main(String[] args) throws Exception {
        String a = args[0], b = args[1], admin = args[2];
        long pidA = Long.parseLong(args[3]), pidB = Long.parseLong(args[4]);
        String scenario = args[5];
        HttpClient plain = HttpClient.newHttpClient();
        String user = filledAccount(plain, a, admin, scenario);

        // The person's browser: one cookie jar across both pods (they differ by host name).
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String handle = user + "@" + URI.create(a).getAuthority();
        String started = send(
                browser,
                json(
                        b + "/api/v1/imports",
                        "{\"handle\":\"" + handle + "\",\"username\":\"" + user + "\",\"password\":\"" + PASSWORD
                                + "\",\"email\":\"" + user + "@example.org\"}"),
                201);
        String authorize = field(started, "authorizationUrl");
        String job = field(started, "id");
        String login =
                send(browser, HttpRequest.newBuilder(URI.create(authorize)).GET(), 200);
        Map<String, String> form = hidden(login);
        form.put("username", user);
        form.put("password", PASSWORD);
        String consent = send(browser, post(a + "/login", form), 200);
        Map<String, String> decision = hidden(consent);
        decision.put("decision", "allow");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong heapA = new AtomicLong(), heapB = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                heapA.accumulateAndGet(heap(plain, a), Math::max);
                heapB.accumulateAndGet(heap(plain, b), Math::max);
                sleep(SAMPLE_MILLIS);
            }
        });
        sampler.start();
        long allowed = System.nanoTime();
        Instant allowedAt = Instant.now();
        send(browser, post(a + "/oauth/authorize", decision), 200);
        String status = followPhases(browser, b + "/api/v1/imports/" + job, "  %-15s %6.2f s%n", allowed, POLL_MILLIS);
        // DONE's time is the job's own (B's clock is this machine's), so a slower poll does not lengthen the move.
        String doneAt = field(status, "updatedAt");
        double total = doneAt.isEmpty()
                ? secs(allowed)
                : Duration.between(allowedAt, Instant.parse(doneAt)).toNanos() / 1e9;
        done.set(true);
        sampler.join();
        long rows = 0;
        for (Matcher m = Pattern.compile("\"done\":(\\d+)").matcher(status); m.find(); ) {
            rows += Long.parseLong(m.group(1));
        }
        System.out.printf(
                "state %s: Allow to DONE in %.2f s; %d rows, %.0f rows/s%n",
                field(status, "state"), total, rows, rows / total);
        System.out.printf(
                "pod A: peak RSS %s, max heap %d MB; pod B: peak RSS %s, max heap %d MB%n",
                hwm(pidA), heapA.get() >> 20, hwm(pidB), heapB.get() >> 20);
    }

    /** A new account on pod {@code a}, filled with scenario a or b (big); answers its username. */
    static String filledAccount(HttpClient plain, String a, String admin, boolean big) throws Exception {
        return filledAccount(plain, a, admin, big ? "b" : "a");
    }

    /** A new account on pod {@code a}, filled with the named scenario (see {@link #scenario}); answers its username. */
    static String filledAccount(HttpClient plain, String a, String admin, String scenario) throws Exception {
        String user = "mover" + System.currentTimeMillis() % 100000;
        fill(plain, a, admin, scenario, user, PASSWORD);
        return user;
    }

    /**
     * The synthetic-content request of a scenario: a (10k posts, 3 comments and 5 likes a post, 100 photos of 100 KB,
     * 500 contacts, 20 conversations), b (ten times a, photos of 200 KB), or peer (the Bluesky PDS's own work, for
     * peer.sh: 10k posts and 100 photos of 100 KB, nothing else).
     */
    static String scenario(String name) {
        return switch (name) {
            case "a" ->
                "{\"posts\":10000,\"commentsPerPost\":3,\"likesPerPost\":5,\"photos\":100,\"photoBytes\":100000,"
                        + "\"contacts\":500,\"conversations\":20,\"messagesPerConversation\":10,\"seed\":9}";
            case "b" ->
                "{\"posts\":100000,\"commentsPerPost\":3,\"likesPerPost\":5,\"photos\":1000,\"photoBytes\":200000,"
                        + "\"contacts\":5000,\"conversations\":50,\"messagesPerConversation\":20,\"seed\":9}";
            case "peer" ->
                "{\"posts\":10000,\"commentsPerPost\":0,\"likesPerPost\":0,\"photos\":100,"
                        + "\"photoBytes\":100000,\"contacts\":0,\"conversations\":0,\"messagesPerConversation\":0,\"seed\":9}";
            default -> throw new IllegalArgumentException("unknown scenario " + name + ": a, b or peer");
        };
    }

    /**
     * Opens {@code user} on pod {@code a} and fills it with scenario a or b (big); answers the pod's tally of what
     * it wrote (posts, comments, likes, … as JSON).
     */
    static String fill(HttpClient plain, String a, String admin, boolean big, String user, String password)
            throws Exception {
        return fill(plain, a, admin, big ? "b" : "a", user, password);
    }

    /** As {@link #fill(HttpClient, String, String, boolean, String, String)}, with the named scenario. */
    static String fill(HttpClient plain, String a, String admin, String scenario, String user, String password)
            throws Exception {
        send(
                plain,
                json(
                                a + "/admin/v1/accounts",
                                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"email\":\"" + user
                                        + "@example.org\"}")
                        .header("Authorization", "Bearer " + admin),
                201);
        String fill = scenario(scenario);
        long t0 = System.nanoTime();
        String tally = send(
                plain,
                json(a + "/admin/v1/accounts/" + user + "/synthetic-content", fill)
                        .header("Authorization", "Bearer " + admin)
                        .timeout(Duration.ofMinutes(10)),
                200);
        System.out.printf("scenario %s: filled A in %.1f s: %s%n", scenario, secs(t0), fill);
        return tally;
    }

    static HttpRequest.Builder json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpRequest.Builder post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String send(HttpClient client, HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static Map<String, String> hidden(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Matcher m = HIDDEN.matcher(html); m.find(); ) {
            fields.put(
                    m.group(1),
                    m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        }
        return fields;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static long heap(HttpClient client, String base) {
        try {
            String metrics = client.send(
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
            return heap;
        } catch (Exception e) {
            return 0;
        }
    }

    static String hwm(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM"))
                .findFirst()
                .orElse("VmHWM: ?")
                .replace("VmHWM:", "")
                .trim();
    }

    /**
     * Polls an import's status every {@code pollMillis} until DONE or FAILED, printing each phase's time (from
     * {@code since}) with {@code format} (a name, then seconds); answers the last status.
     */
    static String followPhases(HttpClient client, String statusUrl, String format, long since, long pollMillis)
            throws Exception {
        String phase = "";
        long phaseStart = since;
        while (true) {
            String status =
                    send(client, HttpRequest.newBuilder(URI.create(statusUrl)).GET(), 200);
            String state = field(status, "state");
            String now = state.equals("IMPORTING") || state.equals("FINISHING") ? field(status, "phase") : state;
            if (!now.equals(phase)) {
                if (!phase.isEmpty()) {
                    System.out.printf(format, phase, (System.nanoTime() - phaseStart) / 1e9);
                }
                phase = now;
                phaseStart = System.nanoTime();
            }
            if (state.equals("DONE") || state.equals("FAILED")) {
                return status;
            }
            sleep(pollMillis);
        }
    }

    static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
