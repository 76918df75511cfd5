package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
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
            List.of("posts", "photos", "contacts", "conversations", "messages", "tag-followings", "comments", "likes");

    private BackupManifest() {}

    /**
     * Writes the manifest, reading each collection file once (its digest, its records, and what the shortfalls need:
     * the posts' comments and likes, the photos' guids); answers everything the backup lacks: {@code fetchMissing}
     * and the shortfalls against the pod's counts.
     */
    static List<ObjectNode> write(
            BackupFolder folder, ObjectNode backup, JsonNode account, List<ObjectNode> fetchMissing)
            throws IOException {
        Map<String, JsonNode> files = new TreeMap<>();
        files.put(
                FolderLayout.ACCOUNT,
                entry(folder.file(FolderLayout.ACCOUNT), PhotoFetch.sha256Of(folder.file(FolderLayout.ACCOUNT)), -1));
        Map<String, Long> held = new HashMap<>();
        List<String> photoGuids = new ArrayList<>();
        for (String collection : Pull.COLLECTIONS) {
            Path file = folder.file(FolderLayout.fileOf(collection));
            if (!Files.isRegularFile(file)) {
                continue;
            }
            MessageDigest digest = sha256();
            long records = 0;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                    new DigestInputStream(Files.newInputStream(file), digest), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    records++;
                    if (collection.equals("posts")) {
                        JsonNode post = BackupJson.parse(line, "A post");
                        held.merge("comments", (long) post.path("comments").size(), Long::sum);
                        held.merge("likes", (long) post.path("likes").size(), Long::sum);
                    } else if (collection.equals("photos")) {
                        photoGuids.add(BackupJson.text(BackupJson.parse(line, "A photo"), "guid"));
                    }
                }
            }
            held.put(collection, records);
            files.put(
                    FolderLayout.fileOf(collection), entry(file, HexFormat.of().formatHex(digest.digest()), records));
        }
        for (String guid : photoGuids) {
            if (FolderLayout.isGuid(guid) && Files.isRegularFile(folder.photo(guid))) {
                files.put(
                        BackupFolder.PHOTOS + "/" + guid,
                        entry(folder.photo(guid), PhotoFetch.sha256Of(folder.photo(guid)), -1));
            }
        }
        List<ObjectNode> missing = new ArrayList<>(fetchMissing);
        missing.addAll(shortfalls(account, held));
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
        return missing;
    }

    /**
     * Where the backup holds fewer records than the pod counted at the snapshot (within the span): named, so a
     * backup never looks whole when it is not.
     */
    private static List<ObjectNode> shortfalls(JsonNode account, Map<String, Long> held) {
        List<ObjectNode> shortfalls = new ArrayList<>();
        JsonNode counts = account.path("counts");
        for (String what : COUNTED) {
            long counted = counts.path(what).asLong(0);
            long holds = held.getOrDefault(what, 0L);
            if (holds < counted) {
                shortfalls.add(PhotoFetch.missing(
                        what, null, "the pod counted " + counted + " at the snapshot; the backup holds " + holds));
            }
        }
        return shortfalls;
    }

    private static ObjectNode entry(Path file, String sha256, long count) throws IOException {
        ObjectNode entry = BackupJson.object();
        entry.put("sha256", sha256);
        entry.put("size", Files.size(file));
        if (count >= 0) {
            entry.put("count", count);
        }
        return entry;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        String value = BackupJson.text(from, field);
        if (value != null) {
            to.put(field, value);
        }
    }
}
