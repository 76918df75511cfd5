package org.transplant.pod.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The embedded cluster's pg_hba.conf: whether a rule trusts connections without a password, and ending that. */
final class PgHba {

    private static final String FILE = "pg_hba.conf";

    private PgHba() {}

    /** Whether a rule of the cluster in {@code directory} lets a connection in without a password. */
    static boolean trusts(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        return Files.exists(file) && Files.readAllLines(file).stream().anyMatch(PgHba::isTrustRule);
    }

    /** Every {@code trust} rule asks for the password instead (scram-sha-256); the rest stays as it is. */
    static void requirePassword(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(isTrustRule(line) ? line.replaceAll("\\btrust\\s*$", "scram-sha-256") : line);
        }
        Path temp = directory.resolve(FILE + ".new");
        Files.write(temp, lines);
        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isTrustRule(String line) {
        String rule = line.strip();
        return !rule.startsWith("#") && rule.matches(".*\\strust$");
    }
}
