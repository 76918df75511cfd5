package org.transplant.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineViewerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A start tag as the viewer writes them: every attribute value double-quoted. */
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z][\\w-]*((?:\\s+[\\w-]+(?:=\"[^\"]*\")?)*)\\s*>");

    private static final Pattern ATTRIBUTE = Pattern.compile("\\s+([\\w-]+)(?:=\"([^\"]*)\")?");
    private static final Pattern OUR_URL = Pattern.compile(
            "photos/[0-9A-Za-z_-]{16,64}|index\\.html|posts-\\d+\\.html|conversations\\.html|contacts\\.html");

    @TempDir
    Path folder;

    @Test
    void postsAreNewestFirstWithTheirCommentsAndLikes() throws Exception {
        ObjectNode middle = post("post-middle-000001", "2026-02-01T10:00:00Z", "the middle one");
        comment(middle, "comment-000000002", "bob@pod.example", "second comment", "2026-02-01T12:00:00Z");
        comment(middle, "comment-000000001", "ann@pod.example", "first comment", "2026-02-01T11:00:00Z");
        like(middle, "like-00000000000001", "cid@pod.example", true);
        like(middle, "like-00000000000002", "dan@pod.example", true);
        like(middle, "like-00000000000003", "eve@pod.example", false);
        lines(
                "posts.ndjson",
                middle,
                post("post-newest-000001", "2026-03-01T10:00:00Z", "the newest one"),
                post("post-oldest-000001", "2026-01-01T10:00:00Z", "the oldest one"));

        String index = read(OfflineViewer.write(folder));

        assertThat(inOrder(index, "the newest one", "the middle one", "the oldest one"))
                .isTrue();
        assertThat(inOrder(
                        index,
                        "ann@pod.example · 2026-02-01 11:00 UTC",
                        "first comment",
                        "bob@pod.example",
                        "second comment"))
                .isTrue();
        assertThat(index).contains("2 likes: cid@pod.example, dan@pod.example").contains("1 dislike: eve@pod.example");
    }

    @Test
    void aPostDeletedOnThePodIsShownMarkedWithItsDate() throws Exception {
        ObjectNode kept = post("post-kept-00000001", "2026-01-01T10:00:00Z", "still on the pod");
        lines("posts.ndjson", kept);
        ObjectNode gone = post("post-gone-00000001", "2026-01-02T10:00:00Z", "deleted later");
        ObjectNode goneComment = interaction("comment-gone-0001", "post-kept-00000001", "ann@pod.example");
        goneComment.put("text", "a comment taken back").put("createdAt", "2026-01-01T12:00:00Z");
        ObjectNode orphan = interaction("comment-orphan-01", "post-never-here-01", "bob@pod.example");
        orphan.put("text", "under a post the backup never had");
        lines(
                "deleted.ndjson",
                deletion("posts", gone, "2026-02-03T04:05:06Z"),
                deletion("comments", goneComment, "2026-02-04T00:00:00Z"),
                deletion("comments", orphan, "2026-02-05T00:00:00Z"));

        String index = read(OfflineViewer.write(folder));

        assertThat(inOrder(index, "deleted later", "still on the pod")).isTrue();
        assertThat(index).contains("deleted on the pod on 2026-02-03 04:05 UTC");
        assertThat(inOrder(
                        index,
                        "still on the pod",
                        "deleted on the pod on 2026-02-04 00:00 UTC",
                        "a comment taken back"))
                .isTrue();
        assertThat(index).doesNotContain("under a post the backup never had");
    }

    @Test
    void aPhotoNotFetchedShowsAPlaceholder() throws Exception {
        ObjectNode post = post("post-photos-000001", "2026-01-01T10:00:00Z", "two photos");
        post.putArray("photos").add("photo-here-000001").add("photo-absent-0001");
        lines("posts.ndjson", post);
        lines("photos.ndjson", photo("photo-here-000001", "a caption"), photo("photo-absent-0001", "never fetched"));
        Files.createDirectories(folder.resolve("photos"));
        Files.write(folder.resolve("photos/photo-here-000001"), new byte[] {1, 2, 3});

        String index = read(OfflineViewer.write(folder));

        assertThat(index)
                .contains(
                        "<img src=\"photos/photo-here-000001\" alt=\"a caption\" width=\"4\" height=\"3\" loading=\"lazy\">")
                .contains("photo not in the backup: never fetched")
                .doesNotContain("src=\"photos/photo-absent-0001\"");
    }

    @Test
    void hostileTextIsOnlyEverEscaped() throws Exception {
        String script = "<script>alert(1)</script>";
        String breakOut = "\"><img src=x onerror=alert(1)>";
        ObjectNode post = post("post-hostile-00001", "2026-01-01T10:00:00Z", script);
        post.putArray("aspects").add(breakOut);
        post.putArray("photos").add("../../etc/passwd").add("photo-hostile-001");
        comment(post, "comment-hostile-01", breakOut, script, "2026-01-01T11:00:00Z");
        lines("posts.ndjson", post);
        lines("photos.ndjson", photo("photo-hostile-001", breakOut), photo("../../etc/passwd", "escape"));
        Files.createDirectories(folder.resolve("photos"));
        Files.write(folder.resolve("photos/photo-hostile-001"), new byte[] {1});
        ObjectNode account = JSON.createObjectNode().put("handle", breakOut);
        account.putObject("profile")
                .put("firstName", script)
                .put("bio", breakOut)
                .put("avatarUrl", "javascript:alert(1)");
        Files.writeString(folder.resolve("account.json"), account.toString());
        ObjectNode manifest = JSON.createObjectNode();
        manifest.putObject("backup")
                .put("pod", breakOut)
                .putArray("missing")
                .addObject()
                .put("what", script)
                .put("guid", breakOut)
                .put("reason", "javascript:alert(1)");
        Files.writeString(folder.resolve("manifest.json"), manifest.toString());
        ObjectNode conversation = JSON.createObjectNode()
                .put("guid", "conversation-00001")
                .put("subject", script)
                .put("createdAt", "2026-01-01T10:00:00Z");
        conversation.putArray("participants").add(breakOut);
        lines("conversations.ndjson", conversation);
        ObjectNode contact = JSON.createObjectNode().put("handle", breakOut).put("displayName", script);
        lines("contacts.ndjson", contact);

        OfflineViewer.write(folder);

        for (String page : List.of("index.html", "conversations.html", "contacts.html")) {
            String html = read(folder.resolve(page));
            assertThat(html).as(page).doesNotContain("<script").doesNotContain("<img src=x");
            List<String[]> attributes = attributes(html);
            assertThat(attributes)
                    .as(page)
                    .noneMatch(attribute -> attribute[0].toLowerCase().startsWith("on"));
            assertThat(attributes)
                    .as(page)
                    .filteredOn(attribute -> attribute[0].equals("src") || attribute[0].equals("href"))
                    .allMatch(attribute -> OUR_URL.matcher(attribute[1]).matches());
            assertThat(html).as(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        }
        String index = read(folder.resolve("index.html"));
        assertThat(index)
                .contains("alt=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"")
                .contains("Avatar (not loaded): javascript:alert(1)")
                .contains("A photo with an unusable name is left out: ../../etc/passwd")
                .contains("1 item is missing from this backup");
    }

    @Test
    void postsArePagedByTwoHundredNewestFirst() throws Exception {
        List<ObjectNode> posts = new ArrayList<>();
        Instant first = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 450; i++) {
            posts.add(post(
                    String.format("post-paged-%06d", i),
                    first.plusSeconds(3600L * i).toString(),
                    "post number " + i + "."));
        }
        lines("posts.ndjson", posts.toArray(ObjectNode[]::new));
        Files.writeString(folder.resolve("posts-4.html"), "left from a backup that held more");

        OfflineViewer.write(folder);

        String one = read(folder.resolve("index.html"));
        String two = read(folder.resolve("posts-2.html"));
        String three = read(folder.resolve("posts-3.html"));
        assertThat(count(one, "<article class=\"post")).isEqualTo(200);
        assertThat(count(two, "<article class=\"post")).isEqualTo(200);
        assertThat(count(three, "<article class=\"post")).isEqualTo(50);
        assertThat(one)
                .contains("post number 449.")
                .contains("post number 250.")
                .doesNotContain("post number 249.");
        assertThat(two).contains("post number 249.").contains("post number 50.");
        assertThat(three).contains("post number 49.").contains("post number 0.");
        assertThat(one).contains("href=\"posts-2.html\">Older").doesNotContain("Newer");
        assertThat(two).contains("href=\"index.html\">← Newer").contains("href=\"posts-3.html\">Older");
        assertThat(three).contains("href=\"posts-2.html\">← Newer").doesNotContain("Older");
        assertThat(folder.resolve("posts-4.html")).doesNotExist();
    }

    @Test
    void aConversationShowsEachMessageOnceOldestFirst() throws Exception {
        ObjectNode conversation = JSON.createObjectNode()
                .put("guid", "conversation-00001")
                .put("subject", "lunch")
                .put("author", "ann@pod.example")
                .put("createdAt", "2026-01-01T10:00:00Z")
                .put("messageCount", 3);
        conversation.putArray("participants").add("ann@pod.example").add("bob@pod.example");
        ArrayNode embedded = conversation.putArray("messages");
        embedded.add(message("message-000000001", "conversation-00001", "first message", "2026-01-01T10:00:00Z"));
        embedded.add(message("message-000000002", "conversation-00001", "second message", "2026-01-01T11:00:00Z"));
        lines("conversations.ndjson", conversation);
        lines(
                "messages.ndjson",
                message("message-000000003", "conversation-00001", "third message", "2026-01-01T12:00:00Z"),
                message("message-000000099", "conversation-other", "elsewhere", "2026-01-01T11:30:00Z"),
                message("message-000000002", "conversation-00001", "second message", "2026-01-01T11:00:00Z"));

        OfflineViewer.write(folder);

        String html = read(folder.resolve("conversations.html"));
        assertThat(inOrder(html, "lunch", "first message", "second message", "third message"))
                .isTrue();
        assertThat(count(html, "second message")).isEqualTo(1);
        assertThat(html).doesNotContain("elsewhere").contains("with ann@pod.example, bob@pod.example");
    }

    @Test
    void contactsShowHowTheyShare() throws Exception {
        ObjectNode contact = JSON.createObjectNode()
                .put("handle", "ann@pod.example")
                .put("displayName", "Ann")
                .put("following", true)
                .put("follower", false)
                .put("blocked", true);
        contact.putArray("aspects").add("Family").add("Work");
        lines("contacts.ndjson", contact);

        OfflineViewer.write(folder);

        assertThat(read(folder.resolve("contacts.html")))
                .contains("<td class=\"handle\">ann@pod.example</td>")
                .contains("<td class=\"name\">Ann</td>")
                .contains("<td class=\"sharing\">following, blocked</td>")
                .contains("<td class=\"aspects\">Family, Work</td>");
    }

    @Test
    void aFolderWithMissingFilesAndBrokenLinesStillShows() throws Exception {
        Files.writeString(
                folder.resolve("posts.ndjson"),
                "not json\n[1,2]\n\n"
                        + post("post-fine-00000001", "2026-01-01T10:00:00Z", "the one good line")
                        + "\n{\"guid\": \"truncated");
        Files.writeString(folder.resolve("account.json"), "{ broken");

        Path index = OfflineViewer.write(folder);

        assertThat(count(read(index), "<article class=\"post")).isEqualTo(1);
        assertThat(read(index)).contains("the one good line");
        assertThat(read(folder.resolve("conversations.html"))).contains("No conversations in this backup.");
        assertThat(folder.resolve("contacts.html")).exists();
    }

    @Test
    void anEmptyFolderHasAnIndexSayingSo() throws Exception {
        assertThat(read(OfflineViewer.write(folder))).contains("No posts in this backup.");
    }

    static ObjectNode post(String guid, String createdAt, String text) {
        ObjectNode post = JSON.createObjectNode()
                .put("guid", guid)
                .put("text", text)
                .put("public", true)
                .put("createdAt", createdAt);
        post.putArray("comments");
        post.putArray("likes");
        return post;
    }

    static ObjectNode photo(String guid, String caption) {
        return JSON.createObjectNode()
                .put("guid", guid)
                .put("contentType", "image/png")
                .put("width", 4)
                .put("height", 3)
                .put("caption", caption);
    }

    private static void comment(ObjectNode post, String guid, String author, String text, String createdAt) {
        ((ArrayNode) post.get("comments"))
                .add(interaction(guid, post.get("guid").asText(), author)
                        .put("text", text)
                        .put("createdAt", createdAt));
    }

    private static void like(ObjectNode post, String guid, String author, boolean positive) {
        ((ArrayNode) post.get("likes"))
                .add(interaction(guid, post.get("guid").asText(), author)
                        .put("positive", positive)
                        .put("createdAt", "2026-02-01T12:00:00Z"));
    }

    private static ObjectNode interaction(String guid, String postGuid, String author) {
        return JSON.createObjectNode()
                .put("guid", guid)
                .put("postGuid", postGuid)
                .put("author", author);
    }

    private static ObjectNode deletion(String collection, ObjectNode item, String deletedAt) {
        ObjectNode deletion = JSON.createObjectNode()
                .put("collection", collection)
                .put("guid", item.get("guid").asText())
                .put("deletedAt", deletedAt);
        deletion.set("item", item);
        return deletion;
    }

    private static ObjectNode message(String guid, String conversationGuid, String text, String createdAt) {
        return JSON.createObjectNode()
                .put("guid", guid)
                .put("conversationGuid", conversationGuid)
                .put("author", "ann@pod.example")
                .put("text", text)
                .put("createdAt", createdAt);
    }

    private void lines(String file, ObjectNode... records) throws IOException {
        StringBuilder text = new StringBuilder();
        for (ObjectNode record : records) {
            text.append(record).append('\n');
        }
        Files.writeString(folder.resolve(file), text);
    }

    private static String read(Path page) throws IOException {
        return Files.readString(page, StandardCharsets.UTF_8);
    }

    private static boolean inOrder(String html, String... texts) {
        int at = 0;
        for (String text : texts) {
            at = html.indexOf(text, at);
            if (at < 0) {
                return false;
            }
        }
        return true;
    }

    private static int count(String html, String text) {
        int count = 0;
        for (int at = html.indexOf(text); at >= 0; at = html.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }

    /**
     * Each attribute of each tag, as name and value; fails on a tag the viewer would not write (an unquoted
     * attribute means data broke out of its text).
     */
    private static List<String[]> attributes(String html) {
        List<String[]> attributes = new ArrayList<>();
        Matcher opening = Pattern.compile("<[a-zA-Z]").matcher(html);
        while (opening.find()) {
            Matcher tag = TAG.matcher(html).region(opening.start(), html.length());
            assertThat(tag.lookingAt())
                    .as("a tag the viewer writes at "
                            + html.substring(opening.start(), Math.min(html.length(), opening.start() + 60)))
                    .isTrue();
            Matcher attribute = ATTRIBUTE.matcher(tag.group(1));
            while (attribute.find()) {
                attributes.add(new String[] {attribute.group(1), attribute.group(2)});
            }
        }
        return attributes;
    }
}
