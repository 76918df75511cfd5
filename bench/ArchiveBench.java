import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves one synthetic account from pod A to pod B through an account archive, as a person whose old pod is about to
 * die would: asks A for the archive (photos included), downloads it, uploads it to B in parts and imports it. Prints
 * each step's time, the archive's size, and each pod's peak RSS and largest heap. Needs only the JDK:
 * java bench/ArchiveBench.java A B admin pidA pidB a|b workdir
 */
public class ArchiveBench {

    static final String PASSWORD = ImportBench.PASSWORD;
    static final String ARCHIVE_PASSWORD = "a long bench archive passphrase";
    static final int PART = 8 << 20;

    public static void main(String[] args) throws Exception {
        String a = args[0], b = args[1], admin = args[2];
        long pidA = Long.parseLong(args[3]), pidB = Long.parseLong(args[4]);
        boolean big = "b".equals(args[5]);
        Path work = Path.of(args[6]);
        HttpClient plain = HttpClient.newHttpClient();
        String user = ImportBench.filledAccount(plain, a, admin, big);

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong heapA = new AtomicLong(), heapB = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                heapA.accumulateAndGet(ImportBench.heap(plain, a), Math::max);
                heapB.accumulateAndGet(ImportBench.heap(plain, b), Math::max);
                ImportBench.sleep(ImportBench.SAMPLE_MILLIS);
            }
        });
        sampler.start();

        // On A, as the person: log in, ask for the archive, follow its steps, download it.
        HttpClient onA = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        Map<String, String> login = ImportBench.hidden(ImportBench.send(
                onA, HttpRequest.newBuilder(URI.create(a + "/login")).GET(), 200));
        login.put("username", user);
        login.put("password", PASSWORD);
        ImportBench.send(onA, ImportBench.post(a + "/login", login), 200);
        long asked = System.nanoTime();
        String archive = ImportBench.send(
                onA,
                ImportBench.json(
                        a + "/api/v1/archives",
                        "{\"password\":\"" + ARCHIVE_PASSWORD + "\",\"photos\":\"included\",\"accountPassword\":\""
                                + PASSWORD + "\"}"),
                202);
        String id = ImportBench.field(archive, "id");
        String step = "";
        long stepStart = asked;
        while (true) {
            String status = ImportBench.send(
                    onA,
                    HttpRequest.newBuilder(URI.create(a + "/api/v1/archives/" + id))
                            .GET(),
                    200);
            String state = ImportBench.field(status, "state");
            String now = state.equals("WRITING") ? "writing " + ImportBench.field(status, "step") : state;
            if (!now.equals(step)) {
                if (!step.isEmpty()) {
                    System.out.printf("  A %-22s %6.2f s%n", step, (System.nanoTime() - stepStart) / 1e9);
                }
                step = now;
                stepStart = System.nanoTime();
            }
            if (state.equals("READY") || state.equals("FAILED")) {
                break;
            }
            ImportBench.sleep(50);
        }
        System.out.printf("archive %s on A in %.2f s%n", step, ImportBench.secs(asked));
        Path file = work.resolve("archive.tar");
        long downloading = System.nanoTime();
        HttpResponse<Path> downloaded = onA.send(
                HttpRequest.newBuilder(URI.create(a + "/api/v1/archives/" + id + "/file"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofFile(file));
        if (downloaded.statusCode() != 200) {
            throw new IllegalStateException("download answered " + downloaded.statusCode());
        }
        long size = Files.size(file);
        System.out.printf("  downloaded %.1f MB in %.2f s%n", size / 1e6, ImportBench.secs(downloading));

        // On B, as the same person with no account there yet: upload in parts, then import.
        HttpClient onB = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        long uploading = System.nanoTime();
        String upload = ImportBench.field(
                ImportBench.send(onB, ImportBench.json(b + "/api/v1/archive-uploads", "{\"bytes\":" + size + "}"), 201),
                "id");
        byte[] part = new byte[PART];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (long first = 0; first < size; first += PART) {
                int length = (int) Math.min(PART, size - first);
                in.readFully(part, 0, length);
                byte[] body = length == PART ? part : java.util.Arrays.copyOf(part, length);
                ImportBench.send(
                        onB,
                        HttpRequest.newBuilder(URI.create(b + "/api/v1/archive-uploads/" + upload))
                                .header("Content-Type", "application/octet-stream")
                                .header("Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + size)
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
                        200);
            }
        }
        System.out.printf("  uploaded to B in %.2f s%n", ImportBench.secs(uploading));
        String boundary = "bench" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        for (var field : Map.of(
                        "upload", upload,
                        "archivePassword", ARCHIVE_PASSWORD,
                        "username", user,
                        "email", user + "@example.org",
                        "password", PASSWORD)
                .entrySet()) {
            form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                            + "\"\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        form.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        long importing = System.nanoTime();
        String started = ImportBench.send(
                onB,
                HttpRequest.newBuilder(URI.create(b + "/api/v1/imports"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .timeout(Duration.ofMinutes(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())),
                201);
        System.out.printf("  B  %-22s %6.2f s%n", "opened (checked, unpacked)", ImportBench.secs(importing));
        String job = ImportBench.field(started, "id");
        String status = ImportBench.followPhases(
                onB, b + "/api/v1/imports/" + job, "  B  %-22s %6.2f s%n", System.nanoTime(), 20);
        double imported = ImportBench.secs(importing);
        done.set(true);
        sampler.join();
        long rows = 0;
        for (Matcher m = Pattern.compile("\"done\":(\\d+)").matcher(status); m.find(); ) {
            rows += Long.parseLong(m.group(1));
        }
        System.out.printf(
                "state %s: archive %.1f MB; import (start to DONE) %.2f s, %d rows, %.0f rows/s; whole offline move"
                        + " (ask to DONE) %.2f s%n",
                ImportBench.field(status, "state"),
                size / 1e6,
                imported,
                rows,
                rows / imported,
                ImportBench.secs(asked));
        System.out.printf(
                "pod A: peak RSS %s, max heap %d MB; pod B: peak RSS %s, max heap %d MB%n",
                ImportBench.hwm(pidA), heapA.get() >> 20, ImportBench.hwm(pidB), heapB.get() >> 20);
    }
}
