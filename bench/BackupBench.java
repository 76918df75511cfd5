import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The backup client against one pod: fills an account (import.sh's scenario a or b), runs {@code init} as a process
 * and plays the person's browser (log-in, consent, the redirect to the client's loopback port), then times a whole
 * {@code pull}, an incremental one after a few changes made through {@code /api/v1}, and {@code pack}; prints each
 * one's wall time, requests, the client's peak RSS and heap, the folder's and the zip's size, and the pod's RSS.
 * Needs only the JDK; compiled with ImportBench.java (its fill and browser helpers). Run through bench/backup.sh:
 * java -cp classes BackupBench <pod-url> <admin-token> <pod-pid> a|b <work-dir> <client-jar>
 */
public class BackupBench {

    static final Pattern SUMMARY = Pattern.compile("Backed up snapshot \\d+: (\\d+) records.*?(\\d+) requests\\.");
    static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");
    static final Pattern HEAP_AT_EXIT = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");
    static final Path TIME = Path.of("/usr/bin/time");

    /** The person's password; the pod refuses one that holds the username, as ImportBench's does. */
    static final String PASSWORD = "a long backup password 42";

    static Path work;
    static String jar;

    public static void main(String[] args) throws Exception {
        String pod = args[0], admin = args[1];
        long podPid = Long.parseLong(args[2]);
        boolean big = "b".equals(args[3]);
        work = Path.of(args[4]);
        jar = args[5];
        Path dir = work.resolve("backup");
        HttpClient plain = HttpClient.newHttpClient();

        String tally = ImportBench.fill(plain, pod, admin, big, "bench", PASSWORD);
        long rows = 0;
        for (String kind : List.of("posts", "comments", "likes", "contacts", "photos", "messages")) {
            rows += count(tally, kind);
        }
        System.out.printf(
                "rows (posts + comments + likes + contacts + photos + messages): %,d; pod RSS after the fill %s%n",
                rows, status(podPid, "VmRSS"));

        // init, with this program as the person's browser: one cookie jar, redirects followed as a browser does.
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        long t0 = System.nanoTime();
        Process init = client("init", "init", pod, "--dir", dir.toString(), "--no-browser")
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        String url = consentUrl(init);
        Map<String, String> login =
                ImportBench.hidden(ImportBench.send(browser, HttpRequest.newBuilder(URI.create(url)), 200));
        login.put("username", "bench");
        login.put("password", PASSWORD);
        Map<String, String> decision =
                ImportBench.hidden(ImportBench.send(browser, ImportBench.post(pod + "/login", login), 200));
        decision.put("span_from", "");
        decision.put("span_until", "");
        decision.put("decision", "allow");
        // The 303 goes to the client's loopback port; following it hands the client its code.
        String loopback = ImportBench.send(browser, ImportBench.post(pod + "/oauth/authorize", decision), 200);
        if (!loopback.contains("authorized")) {
            throw new IllegalStateException("the loopback page says: " + loopback);
        }
        int initStatus = init.waitFor();
        if (initStatus != 0) {
            throw new IllegalStateException(
                    "init exited " + initStatus + ": " + Files.readString(work.resolve("init.err")));
        }
        System.out.printf("init (registration, log-in, consent, token): %.2f s%n", ImportBench.secs(t0));

        Run full = run("pull", "pull", "--dir", dir.toString());
        System.out.printf(
                "whole pull: %.2f s; %s records, %s requests; %,.0f rows/s; folder %s%n",
                full.seconds, full.records(), full.requests(), rows / full.seconds, size(dir));
        System.out.println("  client: " + full.memory());

        changes(browser, pod);
        Run delta = run("pull-again", "pull", "--dir", dir.toString());
        System.out.printf(
                "incremental pull (a new post, a deleted post, a comment on an older post): %.2f s; %s records"
                        + " changed, %s requests%n  client: %s%n",
                delta.seconds, delta.records(), delta.requests(), delta.memory());

        Path zip = work.resolve("bench-backup.zip");
        Run pack = run("pack", "pack", "--dir", dir.toString(), "--out", zip.toString());
        System.out.printf(
                "pack: %.2f s; zip %.1f MB%n  client: %s%n", pack.seconds, Files.size(zip) / 1e6, pack.memory());
        System.out.printf(
                "client's default max heap (this JVM's ergonomics): %d MB; pod: RSS %s, peak RSS %s%n",
                Runtime.getRuntime().maxMemory() >> 20, status(podPid, "VmRSS"), status(podPid, "VmHWM"));
    }

    /** The consent page's address, once init prints it on its standard output. */
    static String consentUrl(Process init) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(init.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("  http")) {
                        url.complete(line.trim());
                    }
                }
                url.completeExceptionally(new IllegalStateException("init printed no address"));
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return url.get(2, TimeUnit.MINUTES);
    }

    /** As the person, through the pod's web API: a new post, one deleted, a comment on an older post. */
    static void changes(HttpClient browser, String pod) throws Exception {
        String page =
                ImportBench.send(browser, HttpRequest.newBuilder(URI.create(pod + "/api/v1/posts?limit=100")), 200);
        List<String> first = guids(page);
        for (int i = 0; i < 9; i++) { // ten pages down: the 1,000th newest post
            page = ImportBench.send(
                    browser,
                    HttpRequest.newBuilder(
                            URI.create(pod + "/api/v1/posts?limit=100&cursor=" + ImportBench.field(page, "next"))),
                    200);
        }
        List<String> older = guids(page);
        ImportBench.send(
                browser,
                ImportBench.json(
                        pod + "/api/v1/posts", "{\"text\":\"Written after the first backup\",\"public\":true}"),
                201);
        ImportBench.send(
                browser,
                HttpRequest.newBuilder(URI.create(pod + "/api/v1/posts/" + first.get(1)))
                        .DELETE(),
                204);
        ImportBench.send(
                browser,
                ImportBench.json(
                        pod + "/api/v1/posts/" + older.get(older.size() - 1) + "/comments",
                        "{\"text\":\"A comment after the first backup\"}"),
                201);
    }

    /** The posts' guids on a page of /api/v1/posts, in order (a post's own guid comes before its comments'). */
    static List<String> guids(String page) {
        List<String> guids = new ArrayList<>();
        for (Matcher m = Pattern.compile("\\{\"guid\":\"([^\"]+)\",\"author\"").matcher(page); m.find(); ) {
            guids.add(m.group(1));
        }
        if (guids.isEmpty()) {
            throw new IllegalStateException("no posts on " + page.substring(0, Math.min(300, page.length())));
        }
        return guids;
    }

    /** A client command as a person runs it, with its default heap; its GC log kept to tell the heap it used. */
    static ProcessBuilder client(String name, String... args) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(TIME)) {
            command.addAll(List.of(
                    TIME.toString(),
                    "-f",
                    "%M %U %S",
                    "-o",
                    work.resolve(name + ".rss").toString()));
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:gc,gc+heap+exit:file=" + work.resolve(name + "-gc.log")));
        String options = System.getenv("BENCH_CLIENT_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.replace("{name}", name).trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        return builder;
    }

    /** A client command's wall time, standard output, peak RSS and CPU time (user + system; -1 when unknown). */
    record Run(String name, double seconds, String out, long peakKb, double cpu) {
        String records() {
            Matcher m = SUMMARY.matcher(out);
            return m.find() ? String.format("%,d", Long.parseLong(m.group(1))) : "?";
        }

        String requests() {
            Matcher m = SUMMARY.matcher(out);
            return m.find() ? String.format("%,d", Long.parseLong(m.group(2))) : "?";
        }

        /** Peak RSS, and the heap from the GC log: largest before and after a pause, and at exit. */
        String memory() throws IOException {
            long before = 0, after = 0, committed = 0, pauses = 0;
            String exit = "?";
            for (String line : Files.readAllLines(work.resolve(name + "-gc.log"))) {
                Matcher pause = GC_PAUSE.matcher(line);
                if (pause.find()) {
                    pauses++;
                    before = Math.max(before, Long.parseLong(pause.group(1)));
                    after = Math.max(after, Long.parseLong(pause.group(2)));
                    committed = Math.max(committed, Long.parseLong(pause.group(3)));
                }
                Matcher end = HEAP_AT_EXIT.matcher(line);
                if (end.find()) {
                    exit = (Long.parseLong(end.group(2)) >> 10) + " of " + (Long.parseLong(end.group(1)) >> 10) + " MB";
                    committed = Math.max(committed, Long.parseLong(end.group(1)) >> 10);
                }
            }
            return String.format(
                    "%speak RSS %d MB; heap: %d GC pauses, largest %d MB before a pause and %d MB after,"
                            + " at most %d MB committed, %s used at exit",
                    cpu < 0 ? "" : String.format("CPU %.2f s (all threads); ", cpu),
                    peakKb >> 10,
                    pauses,
                    before,
                    after,
                    committed,
                    exit);
        }
    }

    /**
     * Runs a client command to its end, timed from its start; its peak RSS (and CPU time) from /usr/bin/time, else
     * its peak RSS from /proc.
     */
    static Run run(String name, String... args) throws Exception {
        long t0 = System.nanoTime();
        Process process = client(name, args).start();
        long peak = 0;
        while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
            if (!Files.isExecutable(TIME)) {
                try {
                    peak = Math.max(
                            peak, Long.parseLong(status(process.pid(), "VmHWM").replaceAll("\\D", "")));
                } catch (NumberFormatException | IOException e) {
                    // ended between two looks
                }
            }
        }
        double seconds = ImportBench.secs(t0);
        String out = Files.readString(work.resolve(name + ".out"));
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + out
                    + Files.readString(work.resolve(name + ".err")));
        }
        double cpu = -1;
        if (Files.isExecutable(TIME)) {
            List<String> lines = Files.readAllLines(work.resolve(name + ".rss"));
            String[] figures = lines.get(lines.size() - 1).trim().split(" ");
            peak = Long.parseLong(figures[0]);
            cpu = Double.parseDouble(figures[1]) + Double.parseDouble(figures[2]);
        }
        return new Run(name, seconds, out, peak, cpu);
    }

    static long count(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static String status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(field))
                .findFirst()
                .orElse(field + ": ?")
                .replace(field + ":", "")
                .trim();
    }

    /** The folder's files: their bytes, and the disk they take (du). */
    static String size(Path dir) throws Exception {
        long bytes = 0, files = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                bytes += Files.size(p);
                files++;
            }
        }
        Process du = new ProcessBuilder("du", "-sk", dir.toString()).start();
        String disk = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s")[0];
        du.waitFor();
        return String.format("%,d files, %.1f MB (%.1f MB on disk)", files, bytes / 1e6, Long.parseLong(disk) / 1024.0);
    }
}
