package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.ContactRecord;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.migration.api.ExportRecords.NotificationRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.ExportRecords.TagFollowingRecord;
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
        Instant at = Instant.parse("2025-01-01T10:00:00Z");
        List<PostRecord> posts = List.of(new PostRecord(
                "iw-post-1",
                "hello",
                true,
                List.of(),
                null,
                at,
                List.of(),
                2,
                1,
                List.of(
                        new CommentRecord("iw-c-1", "iw-post-1", "friend@far.example", "nice", at.plusSeconds(60)),
                        new CommentRecord("iw-c-2", "iw-post-1", "old@old.example", "nice", at.plusSeconds(60))),
                List.of(new LikeRecord("iw-l-1", "iw-post-1", "friend@far.example", true, at.plusSeconds(120)))));
        List<ContactRecord> contacts = List.of(new ContactRecord(
                "friend@far.example",
                null,
                null,
                null,
                true,
                true,
                false,
                List.of(),
                Instant.parse("2024-12-01T00:00:00Z")));
        Instant talk = Instant.parse("2025-01-02T00:00:00Z");
        List<ConversationRecord> conversations = List.of(new ConversationRecord(
                "iw-conv-1",
                "hi",
                "old@old.example",
                List.of("old@old.example", "friend@far.example"),
                talk,
                List.of(new MessageRecord(
                        "iw-m-1", "iw-conv-1", "old@old.example", "hello there", talk.plusSeconds(60))),
                1));
        List<TagFollowingRecord> tags = List.of(new TagFollowingRecord("cats", Instant.parse("2025-01-01T00:00:00Z")));
        List<NotificationRecord> notifications =
                List.of(new NotificationRecord("liked", "friend@far.example", "iw-post-1", true, at.plusSeconds(120)));

        List<ImportReport.LeftOut> answered = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            write(c -> writers.contacts(c, account, contacts, 100)
                    .chain(() -> writers.posts(c, account, "old@old.example", "iw_new@here.example", posts, 200)
                            .invoke(answered::addAll))
                    .chain(() -> writers.conversations(
                            c, account, "old@old.example", "iw_new@here.example", conversations, 300))
                    .chain(() -> writers.tagFollowings(c, account, tags, 400))
                    .chain(() -> writers.notifications(c, account, notifications)));
        }

        // The second read's comments and likes are the mover's own copies, not someone else's: nothing to report.
        assertThat(answered).isEmpty();
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

    /**
     * What hangs under a page's posts goes by the posts' ids here: those written now, those an earlier read of the page
     * wrote (a comment new since then still lands), never a post of another account that took the guid meanwhile.
     */
    @Test
    void commentsLikesAndAspectsLandOnTheMoversPostsOnly() throws Throwable {
        PodClient.createAccount("iw_mover");
        PodClient.createAccount("iw_other");
        long mover = accountId("iw_mover");
        long other = accountId("iw_other");
        write(c -> c.query("INSERT INTO aspects (account_id, name) VALUES (" + mover + ", 'iw circle')")
                .execute()
                .replaceWithVoid());
        Instant at = Instant.parse("2025-02-01T10:00:00Z");
        CommentRecord first = new CommentRecord("iw2-c-1", "iw2-post", "friend@far.example", "one", at.plusSeconds(1));
        CommentRecord later = new CommentRecord("iw2-c-2", "iw2-post", "friend@far.example", "two", at.plusSeconds(2));
        LikeRecord liked = new LikeRecord("iw2-l-1", "iw2-post", "friend@far.example", true, at.plusSeconds(3));
        LikeRecord likedAgain = new LikeRecord("iw2-l-2", "iw2-post", "friend@far.example", true, at.plusSeconds(4));
        write(c -> writers.posts(
                c, mover, "old@old.example", "iw_mover@here.example", List.of(post("iw2-post", at, first, liked)), 10));
        // The same page read again after the friend commented once more and liked anew (the first like taken back).
        write(c -> writers.posts(
                c,
                mover,
                "old@old.example",
                "iw_mover@here.example",
                List.of(post("iw2-post", at, first, later, likedAgain)),
                20));
        // Someone else's post under a guid the claims check let through (written between that check and this page).
        write(c -> writers.posts(
                c,
                other,
                "o@o.example",
                "iw_other@here.example",
                List.of(post("iw2-theirs", at, new LikeRecord("iw2-l-0", "iw2-theirs", "x@far.example", true, at))),
                30));
        // A page of three: a post written before, a new one, and the one that is someone else's.
        write(c -> writers.posts(
                c,
                mover,
                "old@old.example",
                "iw_mover@here.example",
                List.of(
                        post("iw2-post", at, new CommentRecord("iw2-c-4", "iw2-post", "friend@far.example", "4", at)),
                        post("iw2-new", at, new CommentRecord("iw2-c-5", "iw2-new", "friend@far.example", "5", at)),
                        post(
                                "iw2-theirs",
                                at,
                                new CommentRecord("iw2-c-3", "iw2-theirs", "x@far.example", "planted", at),
                                new LikeRecord("iw2-l-3", "iw2-theirs", "x@far.example", true, at))),
                40));

        String ours = "(SELECT id FROM posts WHERE guid = 'iw2-post' AND account_id = " + mover + ")";
        String theirs = "(SELECT id FROM posts WHERE guid = 'iw2-theirs')";
        assertThat(count("SELECT count(*) FROM comments WHERE post_id = " + ours))
                .isEqualTo(3);
        assertThat(count("SELECT count(*) FROM comments WHERE guid = 'iw2-c-4' AND post_id = " + ours))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id"
                        + " WHERE c.guid = 'iw2-c-5' AND p.guid = 'iw2-new' AND p.account_id = " + mover))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM likes WHERE post_id = " + ours + " AND guid = 'iw2-l-2'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM likes WHERE guid = 'iw2-l-1'")).isEqualTo(0);
        assertThat(count("SELECT count(*) FROM post_aspects pa JOIN aspects a ON a.id = pa.aspect_id"
                        + " WHERE a.name = 'iw circle' AND pa.post_id = " + ours))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM comments WHERE guid = 'iw2-c-3'"))
                .isEqualTo(0);
        assertThat(count("SELECT count(*) FROM likes WHERE guid = 'iw2-l-3'")).isEqualTo(0);
        // The like a friend gave the other account's post stays, though the planted one is by the same person.
        assertThat(count("SELECT count(*) FROM likes WHERE guid = 'iw2-l-0' AND post_id = " + theirs))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM post_aspects WHERE post_id = " + theirs))
                .isEqualTo(0);
        assertThat(count("SELECT count(*) FROM posts WHERE guid = 'iw2-theirs' AND account_id = " + other))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM posts WHERE guid = 'iw2-theirs' AND account_id = " + mover))
                .isEqualTo(0);
    }

    /**
     * A comment or like whose guid is another account's here is turned away by the insert and answered as left out;
     * the other's row is untouched, and the mover's own like by the same person is not taken back for it.
     */
    @Test
    void commentsAndLikesUnderGuidsOthersHoldAreTurnedAwayAndAnswered() throws Throwable {
        PodClient.createAccount("iw3_mover");
        PodClient.createAccount("iw3_other");
        long mover = accountId("iw3_mover");
        long other = accountId("iw3_other");
        Instant at = Instant.parse("2025-03-01T10:00:00Z");
        write(c -> writers.posts(
                c,
                other,
                "o@o.example",
                "iw3_other@here.example",
                List.of(post(
                        "iw3-theirs",
                        at,
                        new CommentRecord("iw3-c-held", "iw3-theirs", "x@far.example", "theirs", at),
                        new LikeRecord("iw3-l-held", "iw3-theirs", "x@far.example", true, at))),
                10));
        write(c -> writers.posts(
                c,
                mover,
                "old@old.example",
                "iw3_mover@here.example",
                List.of(post("iw3-post", at, new LikeRecord("iw3-l-own", "iw3-post", "x@far.example", true, at))),
                20));
        List<ImportReport.LeftOut> answered = new ArrayList<>();
        write(c -> writers.posts(
                        c,
                        mover,
                        "old@old.example",
                        "iw3_mover@here.example",
                        List.of(post(
                                "iw3-post",
                                at,
                                new CommentRecord("iw3-c-held", "iw3-post", "x@far.example", "planted", at),
                                new CommentRecord("iw3-c-new", "iw3-post", "x@far.example", "new", at),
                                new LikeRecord("iw3-l-held", "iw3-post", "x@far.example", true, at))),
                        30)
                .invoke(answered::addAll));

        assertThat(answered)
                .containsExactlyInAnyOrder(
                        new ImportReport.LeftOut("comments", "iw3-c-held", GuidClaims.TAKEN),
                        new ImportReport.LeftOut("likes", "iw3-l-held", GuidClaims.TAKEN));
        String theirs = "(SELECT id FROM posts WHERE guid = 'iw3-theirs' AND account_id = " + other + ")";
        assertThat(count("SELECT count(*) FROM comments WHERE guid = 'iw3-c-held' AND text = 'theirs' AND post_id = "
                        + theirs))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM likes WHERE guid = 'iw3-l-held' AND post_id = " + theirs))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM comments WHERE guid = 'iw3-c-new'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM likes WHERE guid = 'iw3-l-own'")).isEqualTo(1);
    }

    private static PostRecord post(String guid, Instant at, Object... under) {
        List<CommentRecord> comments = Arrays.stream(under)
                .filter(CommentRecord.class::isInstance)
                .map(CommentRecord.class::cast)
                .toList();
        List<LikeRecord> likes = Arrays.stream(under)
                .filter(LikeRecord.class::isInstance)
                .map(LikeRecord.class::cast)
                .toList();
        return new PostRecord(
                guid,
                "text of " + guid,
                false,
                List.of("iw circle"),
                null,
                at,
                List.of(),
                comments.size(),
                likes.size(),
                comments,
                likes);
    }

    private long accountId(String username) throws Throwable {
        return count("SELECT id FROM accounts WHERE username = '" + username + "'");
    }

    private void write(Function<SqlConnection, Uni<?>> work) throws Throwable {
        VertxContextSupport.<Void>subscribeAndAwait(
                () -> pool.withTransaction(c -> work.apply(c).replaceWithVoid()));
    }

    private long count(String sql) throws Throwable {
        return VertxContextSupport.<Long>subscribeAndAwait(() ->
                pool.query(sql).execute().map(rows -> rows.iterator().next().getLong(0)));
    }
}
