import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The floor a move is measured against: one account's rows copied from pod A's database straight into pod B's with
 * PostgreSQL's binary COPY, table after table, into tables shaped like B's own (a scratch schema made with
 * {@code LIKE … INCLUDING ALL}: B's indexes and unique constraints in place, foreign keys off), plus the account's
 * photo files copied from A's data folder into B's. No checking, no change sequences, no HTTP: what no import can beat
 * on this machine. Prints each table's time and the sum; drops what it made. Needs PgJDBC (the packaged pod's
 * lib/main): java -cp target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar bench/FloorBench.java A-data
 * B-data username|-
 */
public class FloorBench {

    /** Each table of the account, and the query that selects its rows on A (?: the account's id). */
    static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("posts", "SELECT * FROM posts WHERE account_id = ?");
        TABLES.put("comments", "SELECT c.* FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = ?");
        TABLES.put("likes", "SELECT l.* FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = ?");
        TABLES.put("contacts", "SELECT * FROM contacts WHERE account_id = ?");
        TABLES.put("photos", "SELECT * FROM photos WHERE account_id = ?");
        TABLES.put(
                "conversations",
                "SELECT c.* FROM conversations c WHERE c.id IN"
                        + " (SELECT conversation_id FROM conversation_participants WHERE account_id = ?)");
        TABLES.put(
                "messages",
                "SELECT m.* FROM messages m WHERE m.conversation_id IN"
                        + " (SELECT conversation_id FROM conversation_participants WHERE account_id = ?)");
    }

    public static void main(String[] args) throws Exception {
        Path dataA = Path.of(args[0]), dataB = Path.of(args[1]);
        String username = args[2];
        try (Connection a = connect(dataA);
                Connection b = connect(dataB)) {
            long account;
            // "-": the account made last on A (the one a bench just moved).
            try (var query = a.prepareStatement(
                    username.equals("-")
                            ? "SELECT id FROM accounts WHERE ? IS NOT NULL ORDER BY id DESC LIMIT 1"
                            : "SELECT id FROM accounts WHERE username = ?")) {
                query.setString(1, username);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    account = rs.getLong(1);
                }
            }
            try (Statement s = b.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS floor CASCADE");
                s.execute("CREATE SCHEMA floor");
                for (String table : TABLES.keySet()) {
                    s.execute("CREATE TABLE floor." + table + " (LIKE public." + table + " INCLUDING ALL)");
                }
            }
            double total = 0;
            long rows = 0;
            StringBuilder line = new StringBuilder();
            for (var table : TABLES.entrySet()) {
                String select = table.getValue().replace("?", Long.toString(account));
                long t0 = System.nanoTime();
                long copied = copy(a, b, select, "floor." + table.getKey());
                double secs = (System.nanoTime() - t0) / 1e9;
                total += secs;
                rows += copied;
                line.append(String.format("%s %d in %.2f s; ", table.getKey(), copied, secs));
            }
            long t0 = System.nanoTime();
            long[] files = copyPhotos(a, account, dataA, dataB.resolve("floor-photos"));
            double photoSecs = (System.nanoTime() - t0) / 1e9;
            total += photoSecs;
            System.out.printf(
                    "floor: %.2f s (%d rows by binary COPY, %d photo files of %.1f MB copied in %.2f s): %s%n",
                    total,
                    rows,
                    files[0],
                    files[1] / 1e6,
                    photoSecs,
                    line.toString().replaceAll("; $", ""));
            try (Statement s = b.createStatement()) {
                s.execute("DROP SCHEMA floor CASCADE");
            }
            deleteTree(dataB.resolve("floor-photos"));
        }
    }

    /** A's rows of one table streamed into B's copy of it; answers the rows copied. */
    static long copy(Connection a, Connection b, String select, String into) throws Exception {
        CopyManager out = a.unwrap(PGConnection.class).getCopyAPI();
        CopyManager in = b.unwrap(PGConnection.class).getCopyAPI();
        PipedInputStream pipe = new PipedInputStream(1 << 20);
        PipedOutputStream feed = new PipedOutputStream(pipe);
        CompletableFuture<Long> reading = CompletableFuture.supplyAsync(() -> {
            try (feed) {
                return out.copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)", feed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        in.copyIn("COPY " + into + " FROM STDIN (FORMAT binary)", pipe);
        return reading.get();
    }

    /** The account's photo files, from A's photo folder into {@code into}: {count, bytes}. */
    static long[] copyPhotos(Connection a, long account, Path dataA, Path into) throws Exception {
        long count = 0, bytes = 0;
        try (Statement s = a.createStatement();
                ResultSet rs = s.executeQuery("SELECT file_name FROM photos WHERE account_id = " + account)) {
            while (rs.next()) {
                String name = rs.getString(1);
                Path from =
                        dataA.resolve("photos").resolve(name.substring(0, 2)).resolve(name);
                if (!Files.exists(from)) {
                    continue;
                }
                Path to = into.resolve(name.substring(0, 2)).resolve(name);
                Files.createDirectories(to.getParent());
                Files.copy(from, to);
                count++;
                bytes += Files.size(to);
            }
        }
        return new long[] {count, bytes};
    }

    /** A pod's embedded PostgreSQL: its port from postmaster.pid, its superuser's password from the data folder. */
    static Connection connect(Path data) throws Exception {
        List<String> pid = Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid"));
        String password = Files.readString(data.resolve("secrets").resolve("postgres-password"))
                .trim();
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres", "postgres", password);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
