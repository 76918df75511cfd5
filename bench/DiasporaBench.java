import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.transplant.diaspora.DiasporaExportGenerator;

/**
 * Imports a generated diaspora* "Download my data" export into a packaged pod the way a person does: both files
 * uploaded in 8 MiB parts through {@code /api/v1/archive-uploads}, then the multipart start of
 * {@code POST /api/v1/imports} (the pod reads the export, checks every signature and converts it before it answers
 * 201), then the job polled to DONE with the session the 201 set. Prints each step's time, rows/s, the pod's peak RSS,
 * and for each step the pod's largest sampled heap and what its GC log says was left after a GC. Needs only the JDK
 * and the generator's source:
 *
 * <pre>
 * java DiasporaBench generate big|small bench/out version   (prints the cached export's folder)
 * java DiasporaBench run big|small folder http://localhost:port pid gc.log
 * </pre>
 */
public class DiasporaBench {

    static final int PART = 8 << 20;
    static final String PASSWORD = ImportBench.PASSWORD;
    static final String[] ROWS = {"posts", "comments", "likes", "contacts", "photos"};
    static final String[] STEPS = {"upload", "start request", "start to DONE"};

    public static void main(String[] args) throws Exception {
        boolean small = "small".equals(args[1]);
        if (args[0].equals("generate")) {
            System.out.println(generated(small, Path.of(args[2]), args[3]));
        } else {
            run(small, Path.of(args[2]), args[3], Long.parseLong(args[4]), Path.of(args[5]));
        }
    }

    static DiasporaExportGenerator.Options.Builder options(boolean small, Path dir) {
        return DiasporaExportGenerator.Options.builder(dir)
                .ownerHandle("ana@oldpod.example")
                .posts(small ? 2_000 : 20_000)
                .commentsPerPost(3)
                .likesPerPost(5)
                .contacts(500)
                .photos(100)
                .seed(15);
    }

    /**
     * The export's folder under {@code out}, generated once and kept: its name holds the options and the generator's
     * version (a digest of its source), and {@code manifest.json} is written last, so a folder without it is redone.
     */
    static Path generated(boolean small, Path out, String version) throws IOException {
        DiasporaExportGenerator.Options o = options(small, out).build();
        String key = "diaspora-export-p" + o.posts() + "-c" + o.commentsPerPost() + "-l" + o.likesPerPost() + "-k"
                + o.contacts() + "-ph" + o.photos() + "-s" + o.seed() + "-"
                + o.flavour().name().toLowerCase() + "-"
                + o.container().name().toLowerCase() + "-" + version;
        Path dir = out.resolve(key);
        if (Files.exists(dir.resolve("manifest.json"))) {
            System.err.println("export cached in " + dir);
            return dir;
        }
        Path tmp = out.resolve(key + ".tmp");
        removeTree(tmp);
        System.err.printf("generating the export (%d posts; RSA signing takes a while); load %s%n", o.posts(), load());
        long t0 = System.nanoTime();
        DiasporaExportGenerator.Generated g =
                DiasporaExportGenerator.generate(options(small, tmp).build());
        System.err.printf(
                "generated in %.1f s (%.1f MB export, %.1f MB photos zip); load %s%n",
                ImportBench.secs(t0),
                Files.size(g.dataFile()) / 1e6,
                g.photosZip() == null ? 0 : Files.size(g.photosZip()) / 1e6,
                load());
        Files.writeString(tmp.resolve("manifest.json"), g.manifest().toJson());
        removeTree(dir);
        Files.move(tmp, dir);
        return dir;
    }

    static void run(boolean small, Path dir, String b, long pid, Path gcLog) throws Exception {
        Path export = only(dir, "_data_");
        Path photos = only(dir, "_photos_");
        String manifest = Files.readString(dir.resolve("manifest.json"));
        HttpClient plain = HttpClient.newHttpClient();
        // The pod's clock (its uptime, as its GC log counts) against ours, to find each step's GC pauses.
        long clock0 = System.nanoTime();
        double uptime0 = metric(plain, b, "process_uptime_seconds");
        long idleHeap = ImportBench.heap(plain, b);
        System.out.printf(
                "scenario %s: export %s (%.1f MB), photos %s (%.1f MB); load %s%n",
                small ? "small" : "big",
                export.getFileName(),
                Files.size(export) / 1e6,
                photos.getFileName(),
                Files.size(photos) / 1e6,
                load());

        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger step = new AtomicInteger();
        AtomicLongArray heap = new AtomicLongArray(STEPS.length);
        long[] stepStart = new long[STEPS.length + 1];
        stepStart[0] = System.nanoTime();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                long used = ImportBench.heap(plain, b);
                heap.accumulateAndGet(step.get(), used, Math::max);
                ImportBench.sleep(200);
            }
        });
        sampler.start();

        // As the person, with no account here yet: both files in parts, then the start.
        HttpClient person = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        long uploading = System.nanoTime();
        String exportUpload = upload(person, b, export);
        double exportSecs = ImportBench.secs(uploading);
        long photosStart = System.nanoTime();
        String photosUpload = upload(person, b, photos);
        double uploadSecs = ImportBench.secs(uploading);
        System.out.printf(
                "  upload          %7.2f s (export %.2f s, photos %.2f s; 8 MiB parts)%n",
                uploadSecs, exportSecs, ImportBench.secs(photosStart));

        String user = "ana" + System.currentTimeMillis() % 100000;
        String boundary = "bench" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("upload", exportUpload);
        fields.put("photosUpload", photosUpload);
        fields.put("username", user);
        fields.put("email", user + "@example.org");
        fields.put("password", PASSWORD);
        for (var field : fields.entrySet()) {
            form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                            + "\"\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        form.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        long starting = System.nanoTime();
        stepStart[1] = starting;
        step.set(1);
        String started = ImportBench.send(
                person,
                HttpRequest.newBuilder(URI.create(b + "/api/v1/imports"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .timeout(Duration.ofMinutes(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())),
                201);
        double startSecs = ImportBench.secs(starting);
        System.out.printf(
                "  start request   %7.2f s (read, checked, signatures verified, converted; 201)%n", startSecs);

        String job = ImportBench.field(started, "id");
        long importing = System.nanoTime();
        stepStart[2] = importing;
        step.set(2);
        String status =
                ImportBench.followPhases(person, b + "/api/v1/imports/" + job, "    %-13s %7.2f s%n", importing, 50);
        double importSecs = ImportBench.secs(importing);
        double podSecs = ImportBench.secs(starting);
        double wholeSecs = ImportBench.secs(uploading);
        stepStart[3] = System.nanoTime();
        done.set(true);
        sampler.join();
        System.out.printf("  start to %-6s %7.2f s%n", ImportBench.field(status, "state"), importSecs);

        long rows = 0, all = 0;
        StringBuilder counts = new StringBuilder();
        for (Matcher m = Pattern.compile("\"name\":\"([a-z-]+)\",\"done\":(\\d+),\"total\":(\\d+)")
                        .matcher(status);
                m.find(); ) {
            long n = Long.parseLong(m.group(2));
            all += n;
            if (Stream.of(ROWS).anyMatch(m.group(1)::equals)) {
                rows += n;
                counts.append(String.format(
                        " %s %d/%d (manifest %s)",
                        m.group(1), n, Long.parseLong(m.group(3)), expected(manifest, m.group(1))));
            }
        }
        Matcher leftOut = Pattern.compile("\"leftOut\":\\{\"count\":(\\d+)").matcher(status);
        System.out.printf(
                "state %s; imported:%s; left out and reported: %s%n",
                ImportBench.field(status, "state"), counts, leftOut.find() ? leftOut.group(1) : "?");
        if (!ImportBench.field(status, "error").isEmpty()) {
            System.out.println("error: " + ImportBench.field(status, "error"));
        }
        System.out.printf(
                "total: upload %.2f s + start request %.2f s + start to DONE %.2f s = %.2f s%n",
                uploadSecs, startSecs, importSecs, wholeSecs);
        System.out.printf(
                "%d rows (posts+comments+likes+contacts+photos; %d in all collections): %.0f rows/s from the start"
                        + " request to DONE (%.2f s), %.0f rows/s with the upload%n",
                rows, all, rows / podSecs, podSecs, rows / wholeSecs);
        System.out.printf(
                "pod: peak RSS %s, -Xmx %d MB, heap idle before %d MB; load %s%n",
                ImportBench.hwm(pid),
                (long) metric(plain, b, "jvm_memory_max_bytes{area=\"heap\"") >> 20,
                idleHeap >> 20,
                load());
        List<String> gc = Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
        for (int s = 0; s < STEPS.length; s++) {
            double from = uptime0 + (stepStart[s] - clock0) / 1e9, to = uptime0 + (stepStart[s + 1] - clock0) / 1e9;
            System.out.printf(
                    "  heap in %-13s max sampled %3d MB, %s%n", STEPS[s], heap.get(s) >> 20, afterGc(gc, from, to));
        }
    }

    /** Opens an upload for {@code file} and sends it in {@link #PART}-byte parts; answers the upload's id. */
    static String upload(HttpClient client, String b, Path file) throws Exception {
        long size = Files.size(file);
        String id = ImportBench.field(
                ImportBench.send(
                        client, ImportBench.json(b + "/api/v1/archive-uploads", "{\"bytes\":" + size + "}"), 201),
                "id");
        byte[] part = new byte[PART];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (long first = 0; first < size; first += PART) {
                int length = (int) Math.min(PART, size - first);
                in.readFully(part, 0, length);
                byte[] body = length == PART ? part : java.util.Arrays.copyOf(part, length);
                ImportBench.send(
                        client,
                        HttpRequest.newBuilder(URI.create(b + "/api/v1/archive-uploads/" + id))
                                .header("Content-Type", "application/octet-stream")
                                .header("Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + size)
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
                        200);
            }
        }
        return id;
    }

    /**
     * The manifest's count for a collection of the pod's status (what an importer should keep); a block is a
     * contact here (a blocked one), so the pod's contacts are the manifest's contacts and blocks.
     */
    static String expected(String manifest, String collection) {
        if (collection.equals("contacts")) {
            return (count(manifest, "contacts") + count(manifest, "blocks")) + " with blocks";
        }
        return String.valueOf(count(manifest, collection));
    }

    static long count(String manifest, String collection) {
        Matcher m =
                Pattern.compile("\"" + collection + "\":\\{\"count\":(\\d+)").matcher(manifest);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * From the pod's -Xlog:gc lines between {@code from} and {@code to} (its uptime, s): how many pauses, and the
     * largest heap left after one. That is an upper bound of what the pod holds (G1's young pauses leave the old
     * generation's garbage in place); a smaller -Xmx in BENCH_POD_OPTS tells what the import really needs.
     */
    static String afterGc(List<String> gcLog, double from, double to) {
        if (gcLog.isEmpty()) {
            return "no GC log";
        }
        Pattern pause = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*Pause .* (\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long after = -1;
        int pauses = 0, full = 0;
        for (String line : gcLog) {
            Matcher m = pause.matcher(line);
            double at = m.find() ? Double.parseDouble(m.group(1)) : -1;
            if (at >= from && at < to) {
                after = Math.max(after, Long.parseLong(m.group(3)));
                pauses++;
                full += line.contains("Pause Full") ? 1 : 0;
            }
        }
        return pauses + " GC pauses (" + full + " full), largest heap after one " + (after < 0 ? "-" : after + " MB");
    }

    /** The largest value the pod's /q/metrics gives for a name (and the start of its labels, if any), or 0. */
    static double metric(HttpClient client, String base, String name) {
        double largest = 0;
        try {
            String metrics = ImportBench.send(client, HttpRequest.newBuilder(URI.create(base + "/q/metrics")), 200);
            for (String line : metrics.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + (name.contains("{") ? "" : "{"))) {
                    largest = Math.max(largest, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        } catch (Exception e) {
            // no figure
        }
        return largest;
    }

    static Path only(Path dir, String part) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(part))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *" + part + "* file in " + dir));
        }
    }

    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void removeTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
