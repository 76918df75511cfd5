package org.transplant.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.transplant.pod.database.EmbeddedDatabase;

/**
 * A real PostgreSQL for @QuarkusTest (the same zonky server a pod runs by default), on a throw-away folder, with a
 * throw-away data folder for photos and an admin token for the admin API.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    private EmbeddedDatabase database;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("transplant-test-");
            database = EmbeddedDatabase.startIn(dataDir);
            Map<String, String> settings = new HashMap<>(database.settings());
            settings.put("transplant.data-dir", dataDir.toString());
            settings.put("transplant.admin-token", ADMIN_TOKEN);
            return settings;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL for tests", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (database != null) {
                database.close();
            }
            TempFolders.delete(dataDir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
