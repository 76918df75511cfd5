package org.transplant.pod;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import org.transplant.pod.database.EmbeddedDatabase;

/**
 * Starts a pod. Without datasource settings the pod runs its own PostgreSQL inside its data folder, so that
 * one command on a fresh machine gives a working pod; with settings it uses the given server.
 */
@QuarkusMain
public final class TransplantMain {

    private TransplantMain() {}

    public static void main(String... args) throws Exception {
        if (EmbeddedDatabase.isExternalDatabaseConfigured()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(setting("transplant.data-dir", "TRANSPLANT_DATA_DIR", "./data"));
        EmbeddedDatabase.Memory memory = new EmbeddedDatabase.Memory(
                setting(
                        "transplant.db.shared-buffers",
                        "TRANSPLANT_DB_SHARED_BUFFERS",
                        EmbeddedDatabase.Memory.DEFAULT.sharedBuffers()),
                setting(
                        "transplant.db.max-wal-size",
                        "TRANSPLANT_DB_MAX_WAL_SIZE",
                        EmbeddedDatabase.Memory.DEFAULT.maxWalSize()));
        try (EmbeddedDatabase database = EmbeddedDatabase.startIn(dataDir, memory)) {
            database.settings().forEach(System::setProperty);
            Quarkus.run(args);
        }
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
