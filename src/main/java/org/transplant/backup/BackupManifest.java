package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: the folder format's manifest (every file the backup holds with its SHA-256, size and, for a
 * collection, its count of records), so a pod imports the folder and anyone can check it, and under {@code backup}
 * what it is a backup of: the pod, the account, the span, the snapshot, and what could not be had and why.
 */
final class BackupManifest {

    /** What the account document counts and where the backup holds it. */
    private static final List<String> COUNTED =
            List.of("posts", "photos", "contacts", "conversations", "messages", "tag-followings");

    private BackupManifest() {}

    static void write(BackupFolder folder, ObjectNode backup, JsonNode account, List<ObjectNode> missing)
            throws IOException {
        Map<String, JsonNode> files = new TreeMap<>();
        files.put(FolderLayout.ACCOUNT, entry(folder.file(FolderLayout.ACCOUNT), -1));
        for (String collection : Pull.COLLECTIONS) {
            Path file = folder.file(FolderLayout.fileOf(collection));
            if (Files.isRegularFile(file)) {
                files.put(FolderLayout.fileOf(collection), entry(file, lines(file)));
            }
        }
        Path photos = folder.file(FolderLayout.fileOf("photos"));
        if (Files.isRegularFile(photos)) {
            try (BufferedReader lines = Files.newBufferedReader(photos, StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String guid = BackupJson.text(BackupJson.parse(line, "A photo"), "guid");
                    if (FolderLayout.isGuid(guid) && Files.isRegularFile(folder.photo(guid))) {
                        files.put(BackupFolder.PHOTOS + "/" + guid, entry(folder.photo(guid), -1));
                    }
                }
            }
        }
        ObjectNode manifest = BackupJson.object();
        manifest.put("format", FolderLayout.FORMAT);
        manifest.put("migrationFormat", BackupJson.text(account, "formatVersion"));
        ObjectNode listed = manifest.putObject("files");
        files.forEach(listed::set);
        ObjectNode about = manifest.putObject("backup");
        about.put("client", PodApi.USER_AGENT);
        about.put("pod", backup.path("pod").asText());
        about.put("handle", backup.path("handle").asText());
        about.put("span", AccountCheck.describe(backup));
        copy(backup, about, "spanFrom");
        copy(backup, about, "spanUntil");
        about.put("snapshot", account.path("snapshot").asLong());
        copy(account, about, "snapshotAt");
        about.put("pulledAt", Instant.now().toString());
        about.put("pulls", backup.withArray("pulls").size() + 1);
        about.put("deletedKept", DeletedLog.count(folder));
        about.put("dataOnly", true);
        ArrayNode gaps = about.putArray("missing");
        missing.forEach(gaps::add);
        folder.writeFile(
                folder.file(FolderLayout.MANIFEST), BackupJson.pretty(manifest).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where the backup holds fewer records than the pod counted at the snapshot (within the span): named, so a
     * backup never looks whole when it is not.
     */
    static List<ObjectNode> shortfalls(BackupFolder folder, JsonNode account) throws IOException {
        List<ObjectNode> shortfalls = new ArrayList<>();
        JsonNode counts = account.path("counts");
        for (String collection : COUNTED) {
            Path file = folder.file(FolderLayout.fileOf(collection));
            long held = Files.isRegularFile(file) ? lines(file) : 0;
            shortfall(shortfalls, collection, counts.path(collection).asLong(0), held);
        }
        long comments = 0;
        long likes = 0;
        Path posts = folder.file(FolderLayout.fileOf("posts"));
        if (Files.isRegularFile(posts)) {
            try (BufferedReader lines = Files.newBufferedReader(posts, StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    JsonNode post = BackupJson.parse(line, "A post");
                    comments += post.path("comments").size();
                    likes += post.path("likes").size();
                }
            }
        }
        shortfall(shortfalls, "comments", counts.path("comments").asLong(0), comments);
        shortfall(shortfalls, "likes", counts.path("likes").asLong(0), likes);
        return shortfalls;
    }

    private static void shortfall(List<ObjectNode> shortfalls, String what, long counted, long held) {
        if (held < counted) {
            shortfalls.add(PhotoFetch.missing(
                    what, null, "the pod counted " + counted + " at the snapshot; the backup holds " + held));
        }
    }

    private static ObjectNode entry(Path file, long count) throws IOException {
        ObjectNode entry = BackupJson.object();
        entry.put("sha256", PhotoFetch.sha256Of(file));
        entry.put("size", Files.size(file));
        if (count >= 0) {
            entry.put("count", count);
        }
        return entry;
    }

    private static long lines(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        String value = BackupJson.text(from, field);
        if (value != null) {
            to.put(field, value);
        }
    }
}
