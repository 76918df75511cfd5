package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/** A page written twice (a crash between reading and committing, a re-run) leaves one copy of everything. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ImportWritersTest {

    @Inject
    ImportWriters writers;

    @Inject
    Pool pool;

    @Test
    void everyCollectionWrittenTwiceHoldsOneCopyAndTheMoverIsRenamed() throws Throwable {
        PodClient.createAccount("iw_new");
        long account = VertxContextSupport.<Long>subscribeAndAwait(
                () -> pool.preparedQuery("SELECT id FROM accounts WHERE username = 'iw_new'")
                        .execute()
                        .map(rows -> rows.iterator().next().getLong(0)));
        JsonArray posts = new JsonArray()
                .add(new JsonObject()
                        .put("guid", "iw-post-1")
                        .put("text", "hello")
                        .put("public", true)
                        .put("createdAt", "2025-01-01T10:00:00Z")
                        .put("aspects", new JsonArray())
                        .put(
                                "comments",
                                new JsonArray()
                                        .add(comment("iw-c-1", "iw-post-1", "friend@far.example"))
                                        .add(comment("iw-c-2", "iw-post-1", "old@old.example")))
                        .put(
                                "likes",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("guid", "iw-l-1")
                                                .put("postGuid", "iw-post-1")
                                                .put("author", "friend@far.example")
                                                .put("positive", true)
                                                .put("createdAt", "2025-01-01T10:02:00Z"))));
        JsonArray contacts = new JsonArray()
                .add(new JsonObject()
                        .put("handle", "friend@far.example")
                        .put("following", true)
                        .put("follower", true)
                        .put("blocked", false)
                        .put("aspects", new JsonArray())
                        .put("createdAt", "2024-12-01T00:00:00Z"));
        JsonArray conversations = new JsonArray()
                .add(new JsonObject()
                        .put("guid", "iw-conv-1")
                        .put("subject", "hi")
                        .put("author", "old@old.example")
                        .put("createdAt", "2025-01-02T00:00:00Z")
                        .put(
                                "participants",
                                new JsonArray().add("old@old.example").add("friend@far.example"))
                        .put(
                                "messages",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("guid", "iw-m-1")
                                                .put("author", "old@old.example")
                                                .put("text", "hello there")
                                                .put("createdAt", "2025-01-02T00:01:00Z"))));
        JsonArray tags =
                new JsonArray().add(new JsonObject().put("tag", "cats").put("createdAt", "2025-01-01T00:00:00Z"));
        JsonArray notifications = new JsonArray()
                .add(new JsonObject()
                        .put("kind", "liked")
                        .put("actor", "friend@far.example")
                        .put("target", "iw-post-1")
                        .put("unread", true)
                        .put("createdAt", "2025-01-01T10:02:00Z"));

        for (int run = 0; run < 2; run++) {
            write(c -> writers.contacts(c, account, contacts, 100)
                    .chain(() -> writers.posts(c, account, "old@old.example", "iw_new@here.example", posts, 200))
                    .chain(() -> writers.conversations(
                            c, account, "old@old.example", "iw_new@here.example", conversations, 300))
                    .chain(() -> writers.tagFollowings(c, account, tags, 400))
                    .chain(() -> writers.notifications(c, account, notifications)));
        }

        assertThat(count("SELECT count(*) FROM posts WHERE account_id = " + account))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM comments WHERE guid LIKE 'iw-c-%'"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM likes WHERE guid = 'iw-l-1'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM contacts WHERE account_id = " + account))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM messages WHERE guid = 'iw-m-1'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM tag_followings WHERE account_id = " + account))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notifications WHERE account_id = " + account))
                .isEqualTo(1);
        // What the mover wrote under the old handle is theirs under the new one; the conversation is theirs.
        assertThat(count("SELECT count(*) FROM comments WHERE guid = 'iw-c-2'"
                        + " AND author_handle = 'iw_new@here.example'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM conversation_participants WHERE account_id = " + account
                        + " AND handle = 'iw_new@here.example'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM conversation_participants cp JOIN conversations c"
                        + " ON c.id = cp.conversation_id WHERE c.guid = 'iw-conv-1'"))
                .isEqualTo(2);
    }

    private static JsonObject comment(String guid, String post, String author) {
        return new JsonObject()
                .put("guid", guid)
                .put("postGuid", post)
                .put("author", author)
                .put("text", "nice")
                .put("createdAt", "2025-01-01T10:01:00Z");
    }

    private void write(Function<SqlConnection, Uni<Void>> work) throws Throwable {
        VertxContextSupport.<Void>subscribeAndAwait(() -> pool.withTransaction(work));
    }

    private long count(String sql) throws Throwable {
        return VertxContextSupport.<Long>subscribeAndAwait(() ->
                pool.query(sql).execute().map(rows -> rows.iterator().next().getLong(0)));
    }
}
