package org.transplant.pod.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL run by the pod itself from the zonky binaries (no installation, no Docker). The data folder
 * is kept, so accounts survive restarts; the tests start one on a throw-away folder.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** True when the operator gave Quarkus datasource settings (environment or system properties). */
    public static boolean isExternalDatabaseConfigured() {
        return present("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL")
                || present("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL");
    }

    public static EmbeddedDatabase start(Path directory) throws IOException {
        Files.createDirectories(directory);
        stopOrphanedServer(directory);
        LOG.infof("Starting the embedded PostgreSQL in %s", directory.toAbsolutePath());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "100")
                .start();
        return new EmbeddedDatabase(postgres);
    }

    /** The datasource settings Quarkus needs; system properties outrank application.properties. */
    public Map<String, String> settings() {
        int port = postgres.getPort();
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
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
        Optional<ProcessHandle> orphan = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::trim)
                .filter(line -> line.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warnf("Stopping PostgreSQL %d left running by an earlier pod process", orphan.get().pid());
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
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
