package org.transplant.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup client as a person runs it: {@code java -jar target/transplant-backup.jar …} in its own process, its
 * output kept in files under {@code target/backup-client/} for the test to read and for a failure to show.
 */
public final class BackupClientProcess {

    private static final Path JAR = Path.of("target", "transplant-backup.jar");
    private static int runs;

    private final Process process;
    private final Path out;
    private final Path err;

    private BackupClientProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static synchronized BackupClientProcess start(String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: it is built in the package phase");
        }
        Path logs = Files.createDirectories(Path.of("target", "backup-client"));
        int run = ++runs;
        Path out = logs.resolve(run + "-" + args[0] + ".out");
        Path err = logs.resolve(run + "-" + args[0] + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // No browser to open: the test plays the person's browser.
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        return new BackupClientProcess(builder.start(), out, err);
    }

    /** Runs a command to its end and answers its exit status. */
    public static BackupClientProcess run(String... args) throws Exception {
        BackupClientProcess client = start(args);
        client.awaitExit();
        return client;
    }

    public int awaitExit() throws InterruptedException, IOException {
        if (!process.waitFor(Until.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("transplant-backup did not end within " + Until.PATIENCE + "\n" + output());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int exitStatus() {
        return process.exitValue();
    }

    /** The first match of {@code pattern} on standard output, once it is printed. */
    public Matcher awaitOutput(Pattern pattern) throws Exception {
        return Until.seen(
                "transplant-backup printing " + pattern,
                () -> pattern.matcher(stdout()),
                Matcher::find,
                matcher -> !process.isAlive() && !matcher.find(0));
    }

    /** SIGKILL: the client gets no chance to tidy up, as when a machine loses power. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    public String output() throws IOException {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }
}
