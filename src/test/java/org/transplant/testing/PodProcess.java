package org.transplant.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pod as its own operating-system process: the packaged jar ({@code target/quarkus-app/quarkus-run.jar}) with its
 * own port, data folder and embedded PostgreSQL, exactly as the README starts one. End-to-end tests talk to it over
 * real HTTP, restart it, or kill it with SIGKILL.
 */
public final class PodProcess implements AutoCloseable {

    public static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private final Map<String, String> extraEnv;
    private final String hostName;
    private Process process;

    private PodProcess(String name, String hostName, int port, Path dataDir, Map<String, String> extraEnv) {
        this.hostName = hostName;
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.log = Path.of("target", "pods", name + ".log");
        this.extraEnv = extraEnv;
    }

    /** Starts a pod on a free port with a fresh data folder and waits until it is ready. */
    public static PodProcess start(String name) throws Exception {
        return start(name, Map.of());
    }

    public static PodProcess start(String name, Map<String, String> extraEnv) throws Exception {
        return start(name, "localhost", extraEnv);
    }

    /**
     * A pod known by {@code hostName} (localhost or a 127.x.x.x address): two pods on different names keep their browser
     * cookies apart, as pods on different hosts do (cookies do not tell ports apart).
     */
    public static PodProcess start(String name, String hostName, Map<String, String> extraEnv) throws Exception {
        Path dataDir = Files.createTempDirectory("transplant-" + name + "-");
        PodProcess pod = new PodProcess(name, hostName, freePort(), dataDir, extraEnv);
        Files.deleteIfExists(pod.log);
        pod.launch();
        return pod;
    }

    public String baseUrl() {
        return "http://" + hostName + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The host part of this pod's handles. */
    public String host() {
        return hostName + ":" + port;
    }

    /** Everything the pod process printed. */
    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, wait for a clean stop, then start again on the same port and data folder. */
    public void restart() throws Exception {
        stop();
        launch();
    }

    /** SIGKILL: no shutdown hook runs, its PostgreSQL is orphaned; then start again on the same data. */
    public void killAndRestart() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        launch();
    }

    /** SIGKILL, and no start: the pod is gone until {@link #startAgain()}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts a stopped pod again, on the same port and data folder. */
    public void startAgain() throws Exception {
        launch();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops the pod and deletes its data folder. */
    @Override
    public void close() throws Exception {
        stop();
        TempFolders.delete(dataDir);
    }

    private void launch() throws Exception {
        String jar = System.getProperty("pod.jar", "target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: end-to-end tests run after `package`");
        }
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + System.getProperty("pod.jvm-options", "jvm.options"),
                "-Xmx512m",
                "-jar",
                jar));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("QUARKUS_") || key.startsWith("TRANSPLANT_"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("TRANSPLANT_DATA_DIR", dataDir.toString());
        env.put("TRANSPLANT_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("TRANSPLANT_PUBLIC_URL", baseUrl());
        // The pods of a test live on loopback addresses, which a pod refuses to call by default.
        env.put("TRANSPLANT_OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true");
        env.putAll(extraEnv);
        process = builder.start();
        awaitReady(Until.PATIENCE);
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "pod " + name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "pod " + name + " not ready after " + timeout + "; see " + log.toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
