package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a pull's pages into the backup, collection by collection: a record the pod served replaces the backup's
 * copy of it (a post comes with all its comments and likes), a new one is added, and one the pod deleted leaves its
 * collection for {@code deleted.ndjson}, kept with the time of its deletion (dropped with {@code --mirror}). Each
 * collection is written beside the old file and moved over it, after its deletions are kept, so a merge cut short
 * runs again to the same result.
 */
final class BackupMerge {

    /** Which tombstone kind deletes from which collection. */
    private static final Map<String, String> KINDS = Map.of(
            "posts", "post",
            "photos", "photo",
            "contacts", "contact",
            "tag-followings", "tag_following");

    private final BackupFolder folder;
    private final boolean mirror;

    BackupMerge(BackupFolder folder, boolean mirror) {
        this.folder = folder;
        this.mirror = mirror;
    }

    record Result(long deleted) {}

    Result apply() throws IOException {
        Map<String, Map<String, String>> tombstones = tombstones();
        long deleted = 0;
        for (String collection : Pull.COLLECTIONS) {
            if (!collection.equals("tombstones")) {
                deleted += merge(collection, tombstones);
            }
        }
        return new Result(deleted);
    }

    /** The snapshot's deletions: kind, then guid, then when. */
    private Map<String, Map<String, String>> tombstones() throws IOException {
        Map<String, Map<String, String>> byKind = new HashMap<>();
        Path journal = folder.run(FolderLayout.fileOf("tombstones"));
        if (!Files.isRegularFile(journal)) {
            return byKind;
        }
        try (BufferedReader lines = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                JsonNode tombstone = BackupJson.parse(line, "A tombstone");
                String kind = BackupJson.text(tombstone, "kind");
                String guid = BackupJson.text(tombstone, "guid");
                if (kind != null && guid != null) {
                    byKind.computeIfAbsent(kind, k -> new HashMap<>())
                            .put(guid, BackupJson.text(tombstone, "deletedAt"));
                }
            }
        }
        return byKind;
    }

    private long merge(String collection, Map<String, Map<String, String>> tombstones) throws IOException {
        Path journal = folder.run(FolderLayout.fileOf(collection));
        if (!Files.isRegularFile(journal)) {
            return 0;
        }
        Path target = folder.file(FolderLayout.fileOf(collection));
        Path merged = target.resolveSibling(target.getFileName() + ".new");
        Map<String, String> gone = tombstones.getOrDefault(KINDS.get(collection), Map.of());
        Map<String, String> goneComments =
                collection.equals("posts") ? tombstones.getOrDefault("comment", Map.of()) : Map.of();
        Map<String, String> goneLikes =
                collection.equals("posts") ? tombstones.getOrDefault("like", Map.of()) : Map.of();
        if (Files.isRegularFile(target)
                && Files.size(journal) == 0
                && gone.isEmpty()
                && goneComments.isEmpty()
                && goneLikes.isEmpty()) {
            // Nothing of this collection changed: the backup's file stays as it is, unread.
            return 0;
        }
        List<ObjectNode> deleted = new ArrayList<>();
        try (BufferedWriter out = Files.newBufferedWriter(merged, StandardCharsets.UTF_8)) {
            if (!Files.isRegularFile(target)) {
                // The first pull: the pages are the backup (what the snapshot shows exists; nothing to delete).
                try (BufferedReader lines = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        out.write(line);
                        out.write('\n');
                    }
                }
            } else {
                // What the snapshot shows exists, so a record served wins over a tombstone of an earlier one.
                Map<String, String> served = served(collection, journal);
                try (BufferedReader lines = Files.newBufferedReader(target, StandardCharsets.UTF_8)) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        JsonNode record = BackupJson.parse(line, "A line of " + target.getFileName());
                        String key = key(collection, record);
                        String replacement = served.remove(key);
                        if (replacement != null) {
                            if (record instanceof ObjectNode post && collection.equals("posts")) {
                                interactionsGone(post, goneComments, goneLikes, deleted);
                            }
                            out.write(replacement);
                        } else if (gone.containsKey(key)) {
                            deleted.add(entry(collection, key, gone.get(key), record));
                            continue;
                        } else if (record instanceof ObjectNode post
                                && (!goneComments.isEmpty() || !goneLikes.isEmpty())
                                && interactionsGone(post, goneComments, goneLikes, deleted)) {
                            out.write(BackupJson.line(post));
                        } else {
                            out.write(line);
                        }
                        out.write('\n');
                    }
                }
                for (String line : served.values()) {
                    out.write(line);
                    out.write('\n');
                }
            }
        }
        if (!deleted.isEmpty()) {
            if (mirror) {
                dropPhotoFiles(collection, deleted);
            } else {
                DeletedLog.keep(folder, deleted);
            }
        }
        BackupFolder.move(merged, target);
        return deleted.size();
    }

    /** The pull's records of a collection by key: a delta, small beside the backup. */
    private static Map<String, String> served(String collection, Path journal) throws IOException {
        Map<String, String> served = new LinkedHashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                served.put(key(collection, BackupJson.parse(line, "A record pulled")), line);
            }
        }
        return served;
    }

    /**
     * Takes the deleted comments and likes out of a post the backup holds, keeping them as deleted; whether any
     * were.
     */
    private static boolean interactionsGone(
            ObjectNode post, Map<String, String> comments, Map<String, String> likes, List<ObjectNode> deleted) {
        boolean changed = strip(post, "comments", "commentCount", comments, deleted);
        return strip(post, "likes", "likeCount", likes, deleted) || changed;
    }

    private static boolean strip(
            ObjectNode post, String kind, String countField, Map<String, String> gone, List<ObjectNode> deleted) {
        if (gone.isEmpty() || !(post.get(kind) instanceof ArrayNode items)) {
            return false;
        }
        boolean changed = false;
        for (int i = items.size() - 1; i >= 0; i--) {
            String guid = BackupJson.text(items.get(i), "guid");
            if (guid != null && gone.containsKey(guid)) {
                deleted.add(entry(kind, guid, gone.get(guid), items.get(i)));
                items.remove(i);
                changed = true;
            }
        }
        if (changed) {
            post.put(countField, items.size());
        }
        return changed;
    }

    private static ObjectNode entry(String collection, String key, String deletedAt, JsonNode item) {
        ObjectNode entry = BackupJson.object();
        entry.put("collection", collection);
        entry.put("guid", key);
        entry.put("deletedAt", deletedAt);
        entry.set("item", item);
        return entry;
    }

    private void dropPhotoFiles(String collection, List<ObjectNode> deleted) throws IOException {
        if (!collection.equals("photos")) {
            return;
        }
        for (ObjectNode entry : deleted) {
            String guid = entry.get("guid").asText();
            if (FolderLayout.isGuid(guid)) {
                Files.deleteIfExists(folder.photo(guid));
            }
        }
    }

    /** What identifies a record within its collection. */
    static String key(String collection, JsonNode record) {
        return switch (collection) {
            case "contacts" -> BackupJson.text(record, "handle");
            case "tag-followings" -> BackupJson.text(record, "tag");
            case "notifications" ->
                String.join(
                        "|",
                        String.valueOf(BackupJson.text(record, "kind")),
                        String.valueOf(BackupJson.text(record, "actor")),
                        String.valueOf(BackupJson.text(record, "target")),
                        String.valueOf(BackupJson.text(record, "createdAt")));
            default -> BackupJson.text(record, "guid");
        };
    }
}
