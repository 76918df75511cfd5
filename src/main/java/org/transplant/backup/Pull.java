package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pull: reads the account document for a snapshot, walks every collection page by page (the first pull whole,
 * later ones only what changed after the last snapshot), each page appended to its journal and checkpointed in
 * {@code backup.json}; then merges the pages into the backup, fetches the photos it lacks, and writes the manifest
 * and the viewer. Killed at any point, the next pull resumes from the last checkpoint.
 */
final class Pull {

    static final String STATE = "backup.json";

    /**
     * The Migration API's collections in the order they are read (the pod's MigrationFormat.COLLECTIONS, restated:
     * the client runs without the pod's classes); tombstones last, so every deletion of the snapshot is known.
     */
    static final List<String> COLLECTIONS = List.of(
            "contacts",
            "posts",
            "photos",
            "conversations",
            "messages",
            "tag-followings",
            "notifications",
            "tombstones");

    private final BackupFolder folder;
    private final PodApi api;
    private final boolean mirror;
    private final int pageSize;
    private final ObjectNode backup;
    /** Requests of this pull made before it was resumed, so its last line counts them all. */
    private int requestsBefore;

    Pull(BackupFolder folder, PodApi api, boolean mirror, int pageSize) {
        this.folder = folder;
        this.api = api;
        this.mirror = mirror;
        this.pageSize = pageSize;
        this.backup = (ObjectNode) folder.readState(STATE)
                .orElseThrow(() -> new BackupFailure(
                        BackupFailure.Kind.USAGE, "No backup is set up in " + folder.root() + ": run init first."));
    }

    /** What the pull did, for its last line. */
    record Summary(long snapshot, Long base, long changed, long deleted, int photos, int missing, int requests) {}

    Summary run() throws IOException {
        JsonNode account = api.json(accountUri());
        AccountCheck.same(backup, account);
        ObjectNode run = backup.get("run") instanceof ObjectNode existing ? existing : null;
        if (run == null) {
            run = start(account);
        } else {
            requestsBefore = run.path("requests").asInt();
            Progress.note("Resuming the pull of snapshot " + run.get("snapshot").asLong() + ", stopped in "
                    + COLLECTIONS.get(Math.min(run.get("collection").asInt(), COLLECTIONS.size() - 1)));
        }
        JsonNode snapshotAccount = BackupJson.parse(Files.readAllBytes(folder.run(FolderLayout.ACCOUNT)), "account");
        collections(run, snapshotAccount);
        Long base = run.hasNonNull("base") ? run.get("base").asLong() : null;
        BackupMerge.Result merged = new BackupMerge(folder, mirror).apply();
        PhotoFetch.Result photos = new PhotoFetch(folder, api).fetchMissing();
        folder.writeFile(folder.file(FolderLayout.ACCOUNT), Files.readAllBytes(folder.run(FolderLayout.ACCOUNT)));
        long snapshot = run.get("snapshot").asLong();
        int requests = requestsBefore + api.requests();
        List<ObjectNode> missing = BackupManifest.write(folder, backup, snapshotAccount, photos.missing());
        OfflineViewer.write(folder.root());
        ObjectNode pulled = BackupJson.object();
        pulled.put("snapshot", snapshot);
        pulled.put("snapshotAt", run.path("snapshotAt").asText(null));
        if (base != null) {
            pulled.put("changedAfter", base);
        }
        pulled.put("finishedAt", Instant.now().toString());
        pulled.set("items", run.get("items"));
        pulled.put("deleted", merged.deleted());
        pulled.put("photosFetched", photos.fetched());
        pulled.put("missing", missing.size());
        pulled.put("requests", requests);
        ArrayNode pulls = backup.withArray("pulls");
        pulls.add(pulled);
        backup.put("snapshot", snapshot);
        backup.put("snapshotAt", run.path("snapshotAt").asText(null));
        backup.remove("run");
        folder.writeState(STATE, backup);
        folder.clearRun();
        long changed = 0;
        for (JsonNode count : run.get("items")) {
            changed += count.asLong();
        }
        return new Summary(snapshot, base, changed, merged.deleted(), photos.fetched(), missing.size(), requests);
    }

    private URI accountUri() {
        return api.resolve("/migration/v1/account");
    }

    /** A new run at the account's current snapshot, a delta after the last one when there was one. */
    private ObjectNode start(JsonNode account) throws IOException {
        folder.clearRun();
        ObjectNode run = BackupJson.object();
        run.put("snapshot", account.get("snapshot").asLong());
        run.put("snapshotAt", BackupJson.text(account, "snapshotAt"));
        if (backup.hasNonNull("snapshot")) {
            run.put("base", backup.get("snapshot").asLong());
        }
        run.put("collection", 0);
        run.putNull("next");
        run.put("journalBytes", 0);
        run.put("requests", 0);
        run.putObject("items");
        // The document of this snapshot is what the backup keeps once the pull ends (profile, settings, aspects).
        folder.writeFile(
                folder.run(FolderLayout.ACCOUNT), BackupJson.pretty(account).getBytes(StandardCharsets.UTF_8));
        backup.set("run", run);
        checkpoint(run);
        return run;
    }

    private void collections(ObjectNode run, JsonNode account) throws IOException {
        long snapshot = run.get("snapshot").asLong();
        Long base = run.hasNonNull("base") ? run.get("base").asLong() : null;
        ObjectNode items = (ObjectNode) run.get("items");
        for (int i = run.get("collection").asInt(); i < COLLECTIONS.size(); i++) {
            String name = COLLECTIONS.get(i);
            String next = BackupJson.text(run, "next");
            URI page = next != null ? URI.create(next) : first(account, name, snapshot, base);
            long expected = account.path("counts").path(name).asLong(0);
            try (Journal journal = Journal.open(
                    folder.run(FolderLayout.fileOf(name)),
                    run.get("journalBytes").asLong())) {
                while (page != null) {
                    JsonNode answer = api.json(page);
                    AccountCheck.format(answer, page);
                    if (!(answer.get("items") instanceof ArrayNode records)) {
                        throw new BackupFailure(BackupFailure.Kind.FAILED, "A page of " + name + " holds no items");
                    }
                    String following = BackupJson.text(answer, "next");
                    PageBounds.check(
                            name,
                            records.size(),
                            following,
                            page,
                            items.path(name).asLong(0),
                            account);
                    List<JsonNode> kept =
                            name.equals("posts") ? PostCompletion.complete(api, records, snapshot) : list(records);
                    journal.append(kept);
                    items.put(name, items.path(name).asLong(0) + kept.size());
                    if (following == null) {
                        // The last page and the move to the next collection are one checkpoint: a kill between two
                        // would read this collection again onto its journal.
                        run.put("collection", i + 1);
                        run.putNull("next");
                        run.put("journalBytes", 0);
                    } else {
                        run.put("next", following);
                        run.put("journalBytes", journal.length());
                    }
                    checkpoint(run);
                    Progress.count(name, items.path(name).asLong(0), base == null ? expected : 0);
                    page = following == null ? null : URI.create(following);
                }
            }
            Progress.note(
                    name + ": " + items.path(name).asLong(0) + (base == null ? "" : " changed since snapshot " + base));
        }
    }

    private URI first(JsonNode account, String name, long snapshot, Long base) {
        String url = BackupJson.text(account.path("collections"), name);
        URI collection = url != null ? URI.create(url) : api.resolve("/migration/v1/" + name);
        String query = "limit=" + pageSize + "&snapshot=" + snapshot + (base == null ? "" : "&changedAfter=" + base);
        return URI.create(collection + (collection.getRawQuery() == null ? "?" : "&") + query);
    }

    private void checkpoint(ObjectNode run) {
        run.put("requests", requestsBefore + api.requests());
        folder.writeState(STATE, backup);
    }

    private static List<JsonNode> list(ArrayNode records) {
        List<JsonNode> list = new ArrayList<>(records.size());
        records.forEach(list::add);
        return list;
    }
}
