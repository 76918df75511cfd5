package org.transplant.pod.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.transplant.pod.crypto.OwnerOnlyFiles;

/**
 * A real PostgreSQL run by the pod itself from the zonky binaries (no installation, no Docker). The data folder
 * is kept, so accounts survive restarts; the tests start one on a throw-away folder. Connections need the
 * superuser's generated password, kept in the data folder.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** True when the operator gave Quarkus datasource settings (environment or system properties). */
    public static boolean isExternalDatabaseConfigured() {
        return present("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL")
                || present("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL");
    }

    /**
     * Starts the server of the pod whose data folder is {@code dataDir}: its cluster in {@code postgres/}, its
     * superuser's password in {@code secrets/postgres-password} (owner-only). The server takes connections with
     * that password only (scram-sha-256), never {@code trust}: another local user, or another process on the host,
     * cannot open the pod's database. A folder an earlier version created with {@code trust} is switched over here.
     */
    public static EmbeddedDatabase startIn(Path dataDir) throws IOException {
        return startIn(dataDir, Memory.DEFAULT);
    }

    /**
     * How much memory the server keeps for pages ({@code shared_buffers}) and how much write-ahead log it lets grow
     * before a checkpoint ({@code max_wal_size}): an import writes hundreds of MB, and with PostgreSQL's defaults
     * (128MB, 1GB) the server wrote half its buffers out again mid-import and checkpointed once, each page it touched
     * then logged whole. A small host sets them lower.
     */
    public record Memory(String sharedBuffers, String maxWalSize) {

        /** A size as PostgreSQL reads it: a whole number and a unit; nothing else reaches its command line. */
        private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,6})(kB|MB|GB)");

        private static final long MB = 1024, GB = 1024 * MB;

        // After SIZE, which its constructor reads.
        public static final Memory DEFAULT = new Memory("256MB", "2GB");

        public Memory {
            // Within what PostgreSQL 14 takes (and a host could have): a value it refuses would only show as a
            // server that never came up.
            sharedBuffers = checked("shared_buffers", "TRANSPLANT_DB_SHARED_BUFFERS", sharedBuffers, 128, 1024 * GB);
            maxWalSize = checked("max_wal_size", "TRANSPLANT_DB_MAX_WAL_SIZE", maxWalSize, 2 * MB, 1024 * GB);
        }

        private static String checked(String name, String setting, String size, long minKb, long maxKb) {
            String value = size == null ? "" : size.strip();
            Matcher m = SIZE.matcher(value);
            long kb = !m.matches()
                    ? -1
                    : Long.parseLong(m.group(1))
                            * switch (m.group(2)) {
                                case "kB" -> 1;
                                case "MB" -> MB;
                                default -> GB;
                            };
            if (kb < minKb || kb > maxKb) {
                throw new IllegalArgumentException("The embedded PostgreSQL's " + name + " (" + setting
                        + ") is a whole number and kB, MB or GB (like 256MB), from " + minKb + "kB to 1024GB, not \""
                        + size + "\"");
            }
            return value;
        }
    }

    /** {@link #startIn(Path)} with the given memory settings. */
    public static EmbeddedDatabase startIn(Path dataDir, Memory memory) throws IOException {
        Path directory = dataDir.resolve("postgres");
        Path passwordFile = passwordFile(dataDir);
        Files.createDirectories(directory);
        stopOrphanedServer(directory);
        boolean existing = Files.exists(directory.resolve("postgresql.conf"));
        if (existing && !PgHba.trusts(directory) && !Files.exists(passwordFile)) {
            throw new IOException("The embedded PostgreSQL in " + directory + " takes a password, but its file "
                    + passwordFile + " is missing");
        }
        String password = OwnerOnlyFiles.readOrCreate(passwordFile, EmbeddedDatabase::newPassword);
        LOG.infof("Starting the embedded PostgreSQL in %s", directory.toAbsolutePath());
        EmbeddedPostgres postgres = start(directory, passwordFile, password, memory);
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, password);
        if (PgHba.trusts(directory)) {
            database.requirePassword(directory);
        }
        return database;
    }

    private static EmbeddedPostgres start(Path directory, Path passwordFile, String password, Memory memory)
            throws IOException {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("shared_buffers", memory.sharedBuffers())
                    .setServerConfig("max_wal_size", memory.maxWalSize())
                    // initdb's own options: these come after zonky's "-A trust" and win over it.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
                    .setConnectConfig("password", password)
                    .start();
        } catch (IOException e) {
            // The server's own reason is in its log; what the operator set is the likeliest cause worth naming.
            throw new IOException(
                    "The embedded PostgreSQL in " + directory + " did not start, with shared_buffers "
                            + memory.sharedBuffers() + " and max_wal_size " + memory.maxWalSize()
                            + " (TRANSPLANT_DB_SHARED_BUFFERS, TRANSPLANT_DB_MAX_WAL_SIZE): " + e.getMessage(),
                    e);
        }
    }

    /** Where the superuser's password of the embedded server in {@code dataDir} is kept. */
    public static Path passwordFile(Path dataDir) {
        return dataDir.resolve("secrets").resolve("postgres-password");
    }

    /** The datasource settings Quarkus needs; system properties outrank application.properties. */
    public Map<String, String> settings() {
        int port = postgres.getPort();
        return Map.of(
                "quarkus.datasource.reactive.url",
                "postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.username",
                USER,
                "quarkus.datasource.password",
                password);
    }

    /**
     * A cluster created by an earlier version trusts every local connection: give the superuser the password,
     * then make every rule ask for it, and reload. The password comes first, so a crash in between leaves a
     * server the next start finishes switching.
     */
    private void requirePassword(Path directory) throws IOException {
        LOG.infof(
                "The embedded PostgreSQL in %s trusted local connections; it takes the password from now on",
                directory.toAbsolutePath());
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            PgHba.requirePassword(directory);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Could not switch the embedded PostgreSQL in " + directory + " to passwords", e);
        }
    }

    /** 32 random bytes as URL-safe base64: nothing to quote in SQL, a connection URL or a file. */
    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A pod killed with SIGKILL leaves its PostgreSQL running on the data folder, and a second server refuses to
     * start there. Stop the orphan first so that a crashed pod comes back with one command.
     */
    private static void stopOrphanedServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = Files.readAllLines(pidFile).stream()
                .findFirst()
                .map(String::trim)
                .filter(line -> line.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info()
                        .command()
                        .map(c -> c.contains("postgres"))
                        .orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warnf(
                "Stopping PostgreSQL %d left running by an earlier pod process",
                orphan.get().pid());
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("PostgreSQL " + orphan.get().pid() + " on " + directory + " did not stop", e);
        }
    }

    private static boolean present(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value != null && !value.isBlank();
    }
}
