package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deleted.ndjson}: what the pod deleted after the backup held it, one line each (collection, guid, when, and
 * the record as it was). Keyed by collection and guid, so keeping the same deletion twice keeps it once.
 */
final class DeletedLog {

    private DeletedLog() {}

    static void keep(BackupFolder folder, List<ObjectNode> entries) throws IOException {
        Path file = folder.file(BackupFolder.DELETED);
        Map<String, String> kept = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    kept.put(key(BackupJson.parse(line, "A line of " + BackupFolder.DELETED)), line);
                }
            }
        }
        for (ObjectNode entry : entries) {
            kept.putIfAbsent(key(entry), BackupJson.line(entry));
        }
        StringBuilder text = new StringBuilder();
        kept.values().forEach(line -> text.append(line).append('\n'));
        folder.writeFile(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static long count(BackupFolder folder) throws IOException {
        Path file = folder.file(BackupFolder.DELETED);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static String key(JsonNode entry) {
        return BackupJson.text(entry, "collection") + "|" + BackupJson.text(entry, "guid");
    }
}
