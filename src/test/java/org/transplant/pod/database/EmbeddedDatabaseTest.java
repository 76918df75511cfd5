package org.transplant.pod.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.transplant.testing.TempFolders;

/**
 * The pod's own PostgreSQL, started the way the pod starts it, lets nobody in without the generated password,
 * which only the pod's user may read; a folder an earlier version made with {@code trust} is switched over.
 */
class EmbeddedDatabaseTest {

    private Path dataDir;

    @AfterEach
    void deleteFolder() throws Exception {
        TempFolders.delete(dataDir);
    }

    @Test
    void aNewServerTakesOnlyItsPasswordWhichOnlyThePodMayRead() throws Exception {
        dataDir = Files.createTempDirectory("transplant-db-test-");
        try (EmbeddedDatabase database = EmbeddedDatabase.startIn(dataDir)) {
            Map<String, String> settings = database.settings();
            String url = settings.get("quarkus.datasource.jdbc.url");
            assertRefused(url, null);
            assertRefused(url, "postgres");
            assertRefused(url, "wrong password");
            assertThat(select(url, settings.get("quarkus.datasource.password"), "SELECT 1"))
                    .isEqualTo("1");

            Path file = EmbeddedDatabase.passwordFile(dataDir);
            assertThat(Files.readString(file).trim())
                    .isEqualTo(settings.get("quarkus.datasource.password"))
                    .hasSizeGreaterThanOrEqualTo(40);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                    .isEqualTo("rwx------");
            assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf")))
                    .doesNotContainPattern("\\strust\\s");
        }
        // A restart on the kept folder takes the same password.
        try (EmbeddedDatabase again = EmbeddedDatabase.startIn(dataDir)) {
            String url = again.settings().get("quarkus.datasource.jdbc.url");
            assertRefused(url, null);
            assertThat(select(url, again.settings().get("quarkus.datasource.password"), "SELECT 2"))
                    .isEqualTo("2");
        }
    }

    @Test
    void aFolderAnEarlierVersionMadeWithTrustIsSwitchedToThePassword() throws Exception {
        dataDir = Files.createTempDirectory("transplant-db-test-");
        // What earlier versions did: zonky's own defaults (initdb -A trust), with a row in it.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir.resolve("postgres"))
                        .setCleanDataDirectory(false)
                        .start();
                Connection connection = old.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.startIn(dataDir)) {
            String url = database.settings().get("quarkus.datasource.jdbc.url");
            assertRefused(url, null);
            assertRefused(url, "postgres");
            assertThat(select(url, database.settings().get("quarkus.datasource.password"), "SELECT v FROM kept"))
                    .isEqualTo("still here");
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.startIn(dataDir)) {
            String url = again.settings().get("quarkus.datasource.jdbc.url");
            assertRefused(url, null);
            assertThat(select(url, again.settings().get("quarkus.datasource.password"), "SELECT v FROM kept"))
                    .isEqualTo("still here");
        }
    }

    @Test
    void theServersMemoryIsTheOperatorsAndOnlyASizeIsTaken() throws Exception {
        dataDir = Files.createTempDirectory("transplant-db-test-");
        try (EmbeddedDatabase database =
                EmbeddedDatabase.startIn(dataDir, new EmbeddedDatabase.Memory("64MB", "512MB"))) {
            String url = database.settings().get("quarkus.datasource.jdbc.url");
            String password = database.settings().get("quarkus.datasource.password");
            assertThat(select(url, password, "SHOW shared_buffers")).isEqualTo("64MB");
            assertThat(select(url, password, "SHOW max_wal_size")).isEqualTo("512MB");
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.startIn(dataDir)) {
            String url = database.settings().get("quarkus.datasource.jdbc.url");
            String password = database.settings().get("quarkus.datasource.password");
            assertThat(select(url, password, "SHOW shared_buffers")).isEqualTo("256MB");
            assertThat(select(url, password, "SHOW max_wal_size")).isEqualTo("2GB");
        }
        // Whatever else a value says never reaches the server's command line.
        for (String size :
                new String[] {"", "64", "64 MB", "64MB -c fsync=off", "0MB", "-1MB", "64mb", "12345678GB", "1TB"}) {
            assertThatThrownBy(() -> new EmbeddedDatabase.Memory(size, "2GB"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shared_buffers (TRANSPLANT_DB_SHARED_BUFFERS)");
            assertThatThrownBy(() -> new EmbeddedDatabase.Memory("256MB", size))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max_wal_size (TRANSPLANT_DB_MAX_WAL_SIZE)");
        }
        // Sizes PostgreSQL would refuse, which would show only as a server that never came up.
        assertThatThrownBy(() -> new EmbeddedDatabase.Memory("64kB", "2GB")).hasMessageContaining("from 128kB");
        assertThatThrownBy(() -> new EmbeddedDatabase.Memory("2000GB", "2GB")).hasMessageContaining("1024GB");
        assertThatThrownBy(() -> new EmbeddedDatabase.Memory("256MB", "1MB")).hasMessageContaining("from 2048kB");
        // A value from an env file keeps no stray space.
        assertThat(new EmbeddedDatabase.Memory(" 128kB\n", "2MB "))
                .isEqualTo(new EmbeddedDatabase.Memory("128kB", "2MB"));
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> select(url, password, "SELECT 1")).isInstanceOf(SQLException.class);
    }

    private static String select(String url, String password, String sql) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        try (Connection connection = DriverManager.getConnection(url, properties);
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
