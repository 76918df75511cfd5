package db.migration;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.transplant.pod.crypto.SecretBox;

/**
 * Seals the private keys earlier versions stored as PEM (accounts' keys, the OIDC signing keys), then makes the
 * database refuse an unsealed one from now on. A Java migration, not SQL: sealing needs the key in the data folder,
 * which the database never sees. It lives in Flyway's own package so that Flyway finds it like the SQL scripts.
 */
public class V10__Seal_private_keys extends BaseJavaMigration {

    private static final String SEALED = "v1.%";

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        SecretBox box = null;
        for (String[] table : new String[][] {{"accounts", "id"}, {"oidc_signing_keys", "kid"}}) {
            Map<String, String> plain = unsealed(connection, table[0], table[1]);
            if (!plain.isEmpty() && box == null) {
                box = new SecretBox(dataDir());
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table[0] + " SET private_key_pem = ? WHERE " + table[1] + "::text = ?")) {
                for (Map.Entry<String, String> row : plain.entrySet()) {
                    update.setString(1, box.seal(row.getValue()));
                    update.setString(2, row.getKey());
                    update.executeUpdate();
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE " + table[0] + " ADD CONSTRAINT " + table[0]
                        + "_private_key_sealed CHECK (private_key_pem LIKE '" + SEALED + "')");
            }
        }
    }

    private static Map<String, String> unsealed(Connection connection, String table, String id) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT " + id + "::text, private_key_pem FROM " + table
                        + " WHERE private_key_pem NOT LIKE '" + SEALED + "' FOR UPDATE")) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        }
        return rows;
    }

    private static Path dataDir() {
        return Path.of(ConfigProvider.getConfig()
                .getOptionalValue("transplant.data-dir", String.class)
                .orElse("./data"));
    }
}
