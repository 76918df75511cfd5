package org.transplant.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.transplant.pod.database.EmbeddedDatabase;

/** Reads a pod process's own embedded PostgreSQL directly: what the pod holds, to compare with what it serves. */
public final class PodDatabase {

    private PodDatabase() {}

    /** Each row as its columns joined by "|". */
    public static List<String> query(PodProcess pod, String sql) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection connection = connect(pod);
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(i > 1 ? "|" : "").append(rows.getObject(i));
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    /** Runs each statement in turn, as the pod's database owner (what the pod itself cannot be asked to do). */
    public static void update(PodProcess pod, String... statements) throws Exception {
        try (Connection connection = connect(pod)) {
            for (String sql : statements) {
                connection.createStatement().executeUpdate(sql);
            }
        }
    }

    private static Connection connect(PodProcess pod) throws Exception {
        String port = Files.readAllLines(pod.dataDir().resolve("postgres/postmaster.pid"))
                .get(3)
                .trim();
        String password =
                Files.readString(EmbeddedDatabase.passwordFile(pod.dataDir())).trim();
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", password);
    }

    public static String digest(List<String> lines) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        lines.forEach(line -> sha.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest());
    }
}
