package org.transplant.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a pull's pages fold into the backup: served records replace and add, deletions leave for deleted.ndjson
 * (whole posts, and comments and likes out of the posts that keep living), a record the snapshot shows outlives an
 * older tombstone of its key, a merge run twice gives the same backup, and --mirror drops what was deleted.
 */
class BackupMergeTest {

    private static final String A = "postAAAAAAAAAAAAAAAA";
    private static final String B = "postBBBBBBBBBBBBBBBB";
    private static final String C = "postCCCCCCCCCCCCCCCC";
    private static final String D = "postDDDDDDDDDDDDDDDD";
    private static final String PHOTO = "photoPPPPPPPPPPPPPPP";

    @TempDir
    Path root;

    private BackupFolder folder;

    @BeforeEach
    void firstPull() throws IOException {
        folder = new BackupFolder(root);
        folder.create();
        journal("posts", post(A, "a", "c-a1", "c-a2"), post(B, "b"), post(C, "c"));
        journal("contacts", "{\"handle\":\"bob@pod.example\"}", "{\"handle\":\"eve@pod.example\"}");
        journal("photos", "{\"guid\":\"" + PHOTO + "\",\"postGuid\":\"" + A + "\"}");
        new BackupMerge(folder, false).apply();
        folder.clearRun();
        Files.writeString(folder.photo(PHOTO), "bytes");
    }

    @Test
    void theFirstPullsPagesAreTheBackup() throws IOException {
        assertThat(guids("posts")).containsExactly(A, B, C);
        assertThat(guids("photos")).containsExactly(PHOTO);
        assertThat(folder.file(BackupFolder.DELETED)).doesNotExist();
    }

    @Test
    void aDeltaReplacesAddsAndKeepsWhatWasDeletedAsDeleted() throws IOException {
        delta();
        BackupMerge.Result result = new BackupMerge(folder, false).apply();

        assertThat(guids("posts")).containsExactly(A, B, D);
        JsonNode a = record("posts", A);
        assertThat(a.path("comments").findValuesAsText("guid")).containsExactly("c-a2");
        assertThat(a.path("commentCount").asLong()).isEqualTo(1);
        assertThat(record("posts", B).path("text").asText()).isEqualTo("b, edited");
        assertThat(lines("contacts"))
                .extracting(c -> c.path("handle").asText())
                // eve was deleted and added again after: the snapshot shows her, so she stays.
                .containsExactly("bob@pod.example", "eve@pod.example");
        List<JsonNode> deleted = lines(BackupFolder.DELETED);
        assertThat(deleted)
                .extracting(d ->
                        d.path("collection").asText() + ":" + d.path("guid").asText())
                .containsExactlyInAnyOrder("posts:" + C, "comments:c-a1", "photos:" + PHOTO);
        assertThat(deleted)
                .allSatisfy(d -> assertThat(d.path("deletedAt").asText()).startsWith("2026-"));
        assertThat(deleted.stream()
                        .filter(d -> d.path("guid").asText().equals(C))
                        .findFirst()
                        .orElseThrow()
                        .path("item")
                        .path("text")
                        .asText())
                .isEqualTo("c");
        assertThat(result.deleted()).isEqualTo(3);
        // Kept, not mirrored: the deleted photo's bytes stay.
        assertThat(folder.photo(PHOTO)).exists();
    }

    @Test
    void aMergeCutShortAndRunAgainGivesTheSameBackup() throws IOException {
        delta();
        new BackupMerge(folder, false).apply();
        String posts = Files.readString(folder.file("posts.ndjson"));
        String deleted = Files.readString(folder.file(BackupFolder.DELETED));

        new BackupMerge(folder, false).apply();

        assertThat(Files.readString(folder.file("posts.ndjson"))).isEqualTo(posts);
        assertThat(Files.readString(folder.file(BackupFolder.DELETED))).isEqualTo(deleted);
    }

    @Test
    void aMirrorDropsWhatThePodDeleted() throws IOException {
        delta();
        new BackupMerge(folder, true).apply();

        assertThat(guids("posts")).containsExactly(A, B, D);
        assertThat(folder.file(BackupFolder.DELETED)).doesNotExist();
        assertThat(folder.photo(PHOTO)).doesNotExist();
    }

    private void delta() throws IOException {
        journal("posts", post(B, "b, edited"), post(D, "d"));
        journal("contacts", "{\"handle\":\"eve@pod.example\"}");
        journal("photos");
        journal(
                "tombstones",
                tombstone("post", C),
                tombstone("comment", "c-a1"),
                tombstone("photo", PHOTO),
                tombstone("contact", "eve@pod.example"));
    }

    private static String post(String guid, String text, String... comments) {
        StringBuilder embedded = new StringBuilder();
        for (String comment : comments) {
            embedded.append(embedded.length() == 0 ? "" : ",")
                    .append("{\"guid\":\"")
                    .append(comment)
                    .append("\",\"postGuid\":\"")
                    .append(guid)
                    .append("\",\"text\":\"x\"}");
        }
        return "{\"guid\":\"" + guid + "\",\"text\":\"" + text + "\",\"commentCount\":" + comments.length
                + ",\"comments\":[" + embedded + "],\"likeCount\":0,\"likes\":[]}";
    }

    private static String tombstone(String kind, String guid) {
        return "{\"kind\":\"" + kind + "\",\"guid\":\"" + guid + "\",\"seq\":9,\"deletedAt\":\"2026-12-01T10:00:00Z\"}";
    }

    private void journal(String collection, String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(folder.run(collection + ".ndjson"), text.toString());
    }

    private List<String> guids(String collection) throws IOException {
        return lines(collection).stream().map(n -> n.path("guid").asText()).toList();
    }

    private JsonNode record(String collection, String guid) throws IOException {
        return lines(collection).stream()
                .filter(n -> n.path("guid").asText().equals(guid))
                .findFirst()
                .orElseThrow();
    }

    private List<JsonNode> lines(String name) throws IOException {
        Path file = folder.file(name.endsWith(".ndjson") ? name : name + ".ndjson");
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(BackupJson.parse(line, "test"));
        }
        return nodes;
    }
}
