package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;

/**
 * What the person changes on the old pod while the import runs arrives with the delta, in every collection: a profile
 * edit, a comment and a like on a post copied before, a comment deleted, notifications newer than the first pass (the
 * older ones kept), and a conversation longer than a conversation embeds. The account document's format decides
 * whether this pod reads it at all.
 */
@QuarkusTest
@QuarkusTestResource(org.transplant.testing.PostgresResource.class)
class DeltaImportTest {

    private static final String FRIEND = "friend@remote.example";
    private static final String PAL = "pal@remote.example";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Test
    void everythingChangedOnTheOldPodDuringTheImportArrivesAndWhatWasDeletedGoes() throws Throwable {
        try (ScriptedOldPod old = ScriptedOldPod.start()) {
            String mover = old.mover();
            JsonObject post = post("post-delta-0000000001", "on the old pod")
                    .put("comments", new JsonArray().add(comment("cmt-delta-000000000001", "first")))
                    .put("commentCount", 1)
                    .put("likes", new JsonArray().add(like("lik-delta-000000000000", PAL)))
                    .put("likeCount", 1);
            JsonObject postLater = post.copy()
                    .put(
                            "comments",
                            new JsonArray()
                                    .add(comment("cmt-delta-000000000001", "first"))
                                    .add(comment("cmt-delta-000000000003", "written during the import")))
                    .put("commentCount", 2)
                    // The pal took their like back and liked again: a like under a new guid, the old one a tombstone.
                    .put(
                            "likes",
                            new JsonArray()
                                    .add(like("lik-delta-000000000001", FRIEND))
                                    .add(like("lik-delta-000000000004", PAL)))
                    .put("likeCount", 2);
            JsonObject other = post("post-delta-0000000002", "another")
                    .put("comments", new JsonArray().add(comment("cmt-delta-000000000002", "deleted later")))
                    .put("commentCount", 1);
            JsonArray messages = messages(mover, 250);
            JsonArray messagesLater = messages.copy();
            messagesLater.add(message("msg-delta-" + String.format("%012d", 250), mover, 250));
            old.account(profile("Ann", "Friends"))
                    .deltaAccount(profile("Annie", "Family"))
                    .collection("posts", new JsonArray().add(post).add(other))
                    .delta("posts", new JsonArray().add(postLater))
                    .delta(
                            "tombstones",
                            new JsonArray()
                                    .add(new JsonObject()
                                            .put("kind", "comment")
                                            .put("guid", "cmt-delta-000000000002")
                                            .put("seq", 2)
                                            .put(
                                                    "deletedAt",
                                                    T0.plusSeconds(500).toString()))
                                    .add(new JsonObject()
                                            .put("kind", "like")
                                            .put("guid", "lik-delta-000000000000")
                                            .put("seq", 3)
                                            .put(
                                                    "deletedAt",
                                                    T0.plusSeconds(501).toString())))
                    .collection("conversations", new JsonArray().add(conversation(mover, messages)))
                    .delta("conversations", new JsonArray().add(conversation(mover, messagesLater)))
                    .collection("messages", messages)
                    .delta("messages", messagesLater)
                    .collection(
                            "notifications",
                            new JsonArray().add(notification(1)).add(notification(2)))
                    // The newest ones only: the first has left the old pod's window of recent notifications.
                    .delta("notifications", new JsonArray().add(notification(2)).add(notification(3)));

            String job = imports().start("dl_all", old.issuer(), "SKIP");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state"))
                    .as("error: %s", ended.getString("error"))
                    .isEqualTo("DONE");
            // Each piece on its own: without any one of the fixes, the others still say whether they arrived.
            SoftAssertions soft = new SoftAssertions();
            long account = imports()
                    .row("SELECT account_id FROM import_jobs WHERE id = $1", job)
                    .getLong(0);
            soft.assertThat(imports()
                            .row("SELECT first_name FROM profiles WHERE account_id = $1", account)
                            .getString(0))
                    .isEqualTo("Annie");
            soft.assertThat(strings("SELECT name FROM aspects WHERE account_id = $1", account))
                    .contains("Friends", "Family");
            soft.assertThat(strings(
                            "SELECT c.guid FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = $1",
                            account))
                    .containsExactlyInAnyOrder("cmt-delta-000000000001", "cmt-delta-000000000003");
            soft.assertThat(strings(
                            "SELECT l.guid FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = $1",
                            account))
                    .containsExactlyInAnyOrder("lik-delta-000000000001", "lik-delta-000000000004");
            soft.assertThat(strings(
                            "SELECT m.guid FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                                    + " WHERE c.guid = 'conv-delta-00000000001'",
                            null))
                    .hasSize(251)
                    .doesNotHaveDuplicates();
            soft.assertThat(imports()
                            .row(
                                    "SELECT count(*) FROM messages WHERE author_handle = $1",
                                    org.transplant.testing.PodClient.handle("dl_all"))
                            .getLong(0))
                    .isEqualTo(126);
            soft.assertThat(strings("SELECT target_guid FROM notifications WHERE account_id = $1", account))
                    .containsExactlyInAnyOrder(
                            "post-delta-0000000001", "post-delta-0000000002", "post-delta-0000000003");
            soft.assertAll();
        }
    }

    @Test
    void anAccountDocumentOfAnUnknownMajorFormatIsRefusedWithAReason() throws Throwable {
        try (ScriptedOldPod old = ScriptedOldPod.start()) {
            old.account(profile("Zed", "Friends").put("formatVersion", "2.0"))
                    .collection("posts", new JsonArray().add(post("post-major-0000000001", "never copied")));
            String job = imports().start("dl_major", old.issuer(), "SKIP");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error"))
                    .isEqualTo("The old pod exports its accounts in format 2.x, and this pod reads only format 1.x;"
                            + " nothing was copied. This pod needs an update before it can copy this account");
            assertThat(imports()
                            .row("SELECT count(*) FROM posts WHERE guid = 'post-major-0000000001'")
                            .getLong(0))
                    .isZero();
        }
    }

    @Test
    void aHigherMinorFormatIsRead() throws Throwable {
        try (ScriptedOldPod old = ScriptedOldPod.start()) {
            old.account(profile("Min", "Friends").put("formatVersion", "1.9").put("somethingNew", true))
                    .collection("posts", new JsonArray().add(post("post-minor-0000000001", "copied")));
            String job = imports().start("dl_minor", old.issuer(), "SKIP");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state"))
                    .as("error: %s", ended.getString("error"))
                    .isEqualTo("DONE");
            assertThat(imports()
                            .row("SELECT count(*) FROM posts WHERE guid = 'post-minor-0000000001'")
                            .getLong(0))
                    .isEqualTo(1);
        }
    }

    private static JsonObject profile(String firstName, String aspect) {
        return new JsonObject()
                .put("formatVersion", "1.1")
                .put("profile", new JsonObject().put("firstName", firstName))
                .put("settings", new JsonObject())
                .put("aspects", new JsonArray().add(aspect));
    }

    private static JsonObject post(String guid, String text) {
        return new JsonObject()
                .put("guid", guid)
                .put("text", text)
                .put("public", true)
                .put("aspects", new JsonArray())
                .put("createdAt", T0.toString())
                .put("photos", new JsonArray())
                .put("commentCount", 0)
                .put("likeCount", 0)
                .put("comments", new JsonArray())
                .put("likes", new JsonArray());
    }

    private static JsonObject comment(String guid, String text) {
        return new JsonObject()
                .put("guid", guid)
                .put("author", FRIEND)
                .put("text", text)
                .put("createdAt", T0.plusSeconds(60).toString());
    }

    private static JsonObject like(String guid, String author) {
        return new JsonObject()
                .put("guid", guid)
                .put("author", author)
                .put("positive", true)
                .put("createdAt", T0.plusSeconds(120).toString());
    }

    /** A conversation of the mover and a friend, with what a conversation embeds: its oldest 200 messages. */
    private static JsonObject conversation(String mover, JsonArray messages) {
        JsonArray embedded = new JsonArray();
        for (int i = 0; i < Math.min(200, messages.size()); i++) {
            embedded.add(messages.getJsonObject(i).copy());
        }
        embedded.forEach(m -> ((JsonObject) m).remove("conversationGuid"));
        return new JsonObject()
                .put("guid", "conv-delta-00000000001")
                .put("subject", "a long talk")
                .put("author", mover)
                .put("participants", new JsonArray().add(mover).add(FRIEND))
                .put("createdAt", T0.toString())
                .put("messages", embedded)
                .put("messageCount", messages.size());
    }

    /** Messages in turn by the mover and the friend, a second apart. */
    private static JsonArray messages(String mover, int count) {
        JsonArray messages = new JsonArray();
        for (int i = 0; i < count; i++) {
            messages.add(message("msg-delta-" + String.format("%012d", i), i % 2 == 0 ? mover : FRIEND, i));
        }
        return messages;
    }

    private static JsonObject message(String guid, String author, int i) {
        return new JsonObject()
                .put("guid", guid)
                .put("conversationGuid", "conv-delta-00000000001")
                .put("author", author)
                .put("text", "message " + i)
                .put("createdAt", T0.plusSeconds(i).toString());
    }

    private static JsonObject notification(int i) {
        return new JsonObject()
                .put("kind", "comment")
                .put("actor", FRIEND)
                .put("target", "post-delta-000000000" + i)
                .put("unread", true)
                .put("createdAt", T0.plusSeconds(1000 + i).toString());
    }

    private List<String> strings(String sql, Long account) throws Throwable {
        return VertxContextSupport.<List<String>>subscribeAndAwait(() -> pool.preparedQuery(sql)
                .execute(account == null ? Tuple.tuple() : Tuple.of(account))
                .map(rows -> {
                    List<String> values = new ArrayList<>();
                    rows.forEach(r -> values.add(r.getString(0)));
                    return values;
                }));
    }

    private InTestImports imports() {
        return new InTestImports(pool, secrets);
    }
}
