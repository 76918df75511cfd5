package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * {@code transplant-backup}: {@code init} authorizes a backup of one account of a pod, {@code pull} brings the
 * backup up to date (whole the first time, then only what changed), {@code view} writes its offline viewer. Needs
 * only Java: the jar holds this package and Jackson.
 */
public final class BackupCommand {

    static final String USAGE = """
            Usage:
              transplant-backup init POD_URL [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--dir DIR] [--no-browser]
              transplant-backup pull [--dir DIR] [--mirror] [--patience MINUTES] [--page-size N]
              transplant-backup view [--dir DIR]
              transplant-backup pack [--dir DIR] [--out FILE.zip]

            init   registers with the pod as an app, prints the address of its consent page (and opens it where a
                   browser is), and keeps the authorization in DIR/.transplant-backup (readable by you only).
                   --since/--until propose a time span; you choose it on the consent page.
            pull   brings the backup in DIR up to date: the first time everything in the span, later only what
                   changed. Safe to stop at any point; the next pull resumes. What the pod deleted is kept in
                   deleted.ndjson (dropped with --mirror). Waits for the pod at most --patience minutes (30).
                   Reads pages of --page-size records (1000, the most a pod serves).
            view   writes DIR/index.html, a viewer that opens from the file system (pull writes it too).
            pack   writes the backup as one zip (checked against its manifest) that a pod's "Import an archive"
                   page takes, as data only: a backup holds no key, so it cannot move the account.

            DIR is ./transplant-backup unless given. Exit status: 0 done, 1 failed, 2 usage, 3 the pod refuses the
            authorization (run init again), 4 the folder holds another account or span, 5 the pod does not answer.
            """;

    private BackupCommand() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (BackupFailure e) {
            Progress.note("transplant-backup: " + e.getMessage());
            status = e.kind().status;
        } catch (IOException | RuntimeException e) {
            Progress.note("transplant-backup: " + Words.cut(e.toString(), 500));
            status = BackupFailure.Kind.FAILED.status;
        }
        System.exit(status);
    }

    static int run(String[] args) throws IOException {
        Deque<String> words = new ArrayDeque<>(List.of(args));
        String command = words.pollFirst();
        if (command == null || command.equals("help") || command.equals("--help") || command.equals("-h")) {
            System.out.print(USAGE);
            return command == null ? BackupFailure.Kind.USAGE.status : 0;
        }
        Options options = Options.parse(command, words);
        BackupFolder folder = new BackupFolder(options.dir);
        switch (command) {
            case "init" -> init(folder, options);
            case "pull" -> pull(folder, options);
            case "view" -> System.out.println("Wrote " + OfflineViewer.write(folder.root()));
            case "pack" -> System.out.println("Wrote " + BackupPack.write(folder, options.out(folder)));
            default -> throw usage("Unknown command: " + Words.cut(command, 40));
        }
        return 0;
    }

    private static void init(BackupFolder folder, Options options) throws IOException {
        URI pod = podUrl(options.pod);
        folder.create();
        try (FileLock lock = lock(folder)) {
            NativeAppConsent.Granted granted = new NativeAppConsent(pod)
                    .authorize(options.since, options.until, options.wait, options.openBrowser);
            PodApi api = new PodApi(folder, granted.credentials(), options.patience);
            api.useAccessToken(granted.accessToken(), granted.expiresIn());
            JsonNode account = api.json(api.resolve("/migration/v1/account"));
            ObjectNode backup =
                    folder.readState(Pull.STATE).map(ObjectNode.class::cast).orElseGet(BackupJson::object);
            AccountCheck.setUp(backup, account, pod.toString());
            folder.writeState(Credentials.FILE, granted.credentials());
            folder.writeState(Pull.STATE, backup);
            System.out.println(
                    "Set up the backup of " + Words.cut(backup.path("handle").asText(), 200) + " ("
                            + AccountCheck.describe(backup) + ") in " + folder.root() + ".");
            System.out.println("Next: transplant-backup pull --dir " + folder.root());
        }
    }

    private static void pull(BackupFolder folder, Options options) throws IOException {
        Credentials.load(folder);
        try (FileLock lock = lock(folder)) {
            // Read under the lock: a pull that just ended may have rotated the refresh token.
            ObjectNode credentials = Credentials.load(folder);
            PodApi api = new PodApi(folder, credentials, options.patience);
            Pull.Summary summary = new Pull(folder, api, options.mirror, options.pageSize).run();
            StringBuilder line = new StringBuilder("Backed up snapshot ")
                    .append(summary.snapshot())
                    .append(": ");
            line.append(summary.changed())
                    .append(summary.base() == null ? " records" : " records changed since snapshot " + summary.base());
            line.append(", ").append(summary.deleted()).append(options.mirror ? " deleted" : " deleted (kept)");
            line.append(", ").append(summary.photos()).append(" photos fetched, ");
            line.append(summary.missing())
                    .append(" missing; ")
                    .append(summary.requests())
                    .append(" requests.");
            System.out.println(line);
            if (summary.missing() > 0) {
                Progress.note("Some things could not be backed up: manifest.json names each under backup.missing.");
            }
            System.out.println("Browse it offline: " + folder.file("index.html").toUri());
        }
    }

    /** One command at a time per folder: a pull from cron that overlaps the last one waits for nothing, it stops. */
    private static FileLock lock(BackupFolder folder) throws IOException {
        FileChannel channel =
                FileChannel.open(folder.state("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED, "Another transplant-backup is working in " + folder.root() + ".");
        }
        return lock;
    }

    /** The pod's origin; plain http only on this machine, where no one between could read the token. */
    static URI podUrl(String value) {
        if (value == null) {
            throw usage("init needs the pod's address, such as https://pod.example");
        }
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "https://" + value);
        } catch (IllegalArgumentException e) {
            throw usage("Not an address: " + Words.cut(value, 100));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw usage("Not an address of a pod: " + Words.cut(value, 100));
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw usage(
                    "The pod must be reached over https (plain http only on this machine): " + Words.cut(value, 100));
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")
                    && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    static BackupFailure usage(String message) {
        return new BackupFailure(BackupFailure.Kind.USAGE, message + "\n\n" + USAGE);
    }

    /** The command line's options. */
    private static final class Options {
        String pod;
        String since;
        String until;
        Path dir = Path.of("transplant-backup");
        Path out;
        boolean openBrowser = true;
        boolean mirror;
        int pageSize = 1000;
        Duration patience = Duration.ofMinutes(30);
        Duration wait = Duration.ofMinutes(15);

        static Options parse(String command, Deque<String> words) {
            Options options = new Options();
            while (!words.isEmpty()) {
                String word = words.pollFirst();
                switch (word) {
                    case "--dir" -> options.dir = Path.of(value(words, word));
                    case "--out" -> options.out = Path.of(value(words, word));
                    case "--since" -> options.since = date(value(words, word), word);
                    case "--until" -> options.until = date(value(words, word), word);
                    case "--no-browser" -> options.openBrowser = false;
                    case "--mirror" -> options.mirror = true;
                    case "--page-size" -> options.pageSize = pageSize(value(words, word));
                    case "--patience" -> options.patience = Duration.ofMinutes(minutes(value(words, word), word));
                    case "--wait" -> options.wait = Duration.ofMinutes(minutes(value(words, word), word));
                    default -> {
                        if (word.startsWith("--") || !command.equals("init") || options.pod != null) {
                            throw usage("Unknown option for " + command + ": " + Words.cut(word, 40));
                        }
                        options.pod = word;
                    }
                }
            }
            if (options.since != null && options.until != null && options.since.compareTo(options.until) > 0) {
                throw usage("--since must not be after --until");
            }
            return options;
        }

        /** Where pack writes: as asked, else {@code <user>-backup.zip} beside the folder. */
        Path out(BackupFolder folder) {
            if (out != null) {
                return out.toAbsolutePath();
            }
            String user = folder.readState(Pull.STATE)
                    .map(state -> state.path("handle").asText("account"))
                    .orElse("account")
                    .replaceAll("@.*", "")
                    .replaceAll("[^A-Za-z0-9_.-]", "_");
            return folder.root().resolveSibling(user + "-backup.zip");
        }

        private static String value(Deque<String> words, String option) {
            String value = words.pollFirst();
            if (value == null) {
                throw usage(option + " needs a value");
            }
            return value;
        }

        private static String date(String value, String option) {
            try {
                return LocalDate.parse(value).toString();
            } catch (DateTimeParseException e) {
                throw usage(option + " takes a date as YYYY-MM-DD, not " + Words.cut(value, 40));
            }
        }

        private static int pageSize(String value) {
            if (!value.matches("\\d{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 1000) {
                throw usage("--page-size takes a number of records from 1 to 1000");
            }
            return Integer.parseInt(value);
        }

        private static long minutes(String value, String option) {
            if (!value.matches("\\d{1,5}") || Long.parseLong(value) == 0) {
                throw usage(option + " takes a number of minutes");
            }
            return Long.parseLong(value);
        }
    }
}
