package org.transplant.pod.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.transplant.pod.account.Account;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.SignUp;
import org.transplant.pod.crypto.Sha256;
import org.transplant.pod.photo.PhotoStore;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SyntheticContentGeneratorTest {

    private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");
    private static final SyntheticContentRequest SMALL = new SyntheticContentRequest(200, 2, 3, 4, 4096, 30, 3, 4, 42);

    @Inject
    SyntheticContentGenerator generator;

    @Inject
    AccountService accounts;

    @Inject
    PhotoStore photoStore;

    @Inject
    Pool pool;

    @Test
    void writesWhatWasAskedFor() throws Throwable {
        long id = account("synth_counts");
        SyntheticContentResult result = generate(id, SMALL);

        assertThat(result.posts())
                .isEqualTo(200)
                .isEqualTo(count("SELECT count(*) FROM posts WHERE account_id = $1", id));
        assertThat(result.comments())
                .isEqualTo(400)
                .isEqualTo(count(
                        "SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = $1",
                        id));
        assertThat(result.likes())
                .isEqualTo(600)
                .isEqualTo(count(
                        "SELECT count(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = $1", id));
        assertThat(result.photos())
                .isEqualTo(4)
                .isEqualTo(count("SELECT count(*) FROM photos WHERE account_id = $1", id));
        assertThat(count("SELECT count(*) FROM photos WHERE account_id = $1 AND post_id IS NOT NULL", id))
                .isEqualTo(2);
        assertThat(result.contacts())
                .isEqualTo(30)
                .isEqualTo(count("SELECT count(*) FROM contacts WHERE account_id = $1", id));
        assertThat(result.contactAspects())
                .isPositive()
                .isEqualTo(count(
                        "SELECT count(*) FROM contact_aspects ca JOIN contacts c ON c.id = ca.contact_id"
                                + " WHERE c.account_id = $1",
                        id));
        assertThat(count(
                        "SELECT count(*) FROM contacts WHERE account_id = $1"
                                + " AND public_key_pem LIKE '-----BEGIN PUBLIC KEY-----%'",
                        id))
                .isEqualTo(30);
        assertThat(result.conversations())
                .isEqualTo(3)
                .isEqualTo(count("SELECT count(*) FROM conversation_participants WHERE account_id = $1", id));
        assertThat(result.messages()).isEqualTo(12).isEqualTo(count("""
                SELECT count(*) FROM messages m JOIN conversation_participants cp
                    ON cp.conversation_id = m.conversation_id AND cp.account_id = $1""", id));
        assertThat(result.tagFollowings())
                .isEqualTo(10)
                .isEqualTo(count("SELECT count(*) FROM tag_followings WHERE account_id = $1", id));
        assertThat(result.notifications())
                .isEqualTo(30)
                .isEqualTo(count("SELECT count(*) FROM notifications WHERE account_id = $1", id));
        assertThat(result.profileFilled()).isTrue();
        assertThat(count("SELECT count(*) FROM profiles WHERE account_id = $1 AND first_name <> '' AND bio <> ''", id))
                .isEqualTo(1);

        // Limited posts are shared with one aspect each; some posts are reshares of earlier ones.
        assertThat(result.postAspects())
                .isPositive()
                .isEqualTo(count("SELECT count(*) FROM posts WHERE account_id = $1 AND NOT public", id));
        assertThat(count("""
                SELECT count(*) FROM posts r JOIN posts o ON o.guid = r.root_guid AND o.created_at < r.created_at
                WHERE r.account_id = $1""", id)).isPositive();
        assertThat(count("""
                SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id
                WHERE p.account_id = $1 AND c.created_at <= p.created_at""", id)).isZero();
        assertThat(count("""
                SELECT count(*) FROM likes l JOIN posts p ON p.id = l.post_id
                WHERE p.account_id = $1 AND l.created_at <= p.created_at""", id)).isZero();
        // Three years up to the given end.
        assertThat(count("""
                SELECT count(*) FROM posts WHERE account_id = $1
                    AND (created_at < $2::timestamptz - interval '1096 days' OR created_at > $2::timestamptz)""", id, END.atOffset(ZoneOffset.UTC))).isZero();
    }

    @Test
    void seqNumbersCoverExactlyTheReservedRangeAndFollowTime() throws Throwable {
        long id = account("synth_seq");
        generate(id, SMALL);

        long last = count("SELECT last_seq FROM accounts WHERE id = $1", id);
        List<Long> seqs = longs("""
                SELECT seq FROM posts WHERE account_id = $1
                UNION ALL SELECT c.seq FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = $1
                UNION ALL SELECT l.seq FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = $1
                UNION ALL SELECT seq FROM photos WHERE account_id = $1
                UNION ALL SELECT seq FROM contacts WHERE account_id = $1
                UNION ALL SELECT seq FROM tag_followings WHERE account_id = $1
                UNION ALL SELECT seq FROM conversation_participants WHERE account_id = $1
                ORDER BY 1""", id);
        assertThat(seqs).hasSize((int) last);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
        // Within posts, comments and likes together, a later number never has an earlier time.
        assertThat(count("""
                SELECT count(*) FROM (
                    SELECT created_at, lag(created_at) OVER (ORDER BY seq) AS before FROM (
                        SELECT seq, created_at FROM posts WHERE account_id = $1
                        UNION ALL SELECT c.seq, c.created_at FROM comments c JOIN posts p ON p.id = c.post_id
                            WHERE p.account_id = $1
                        UNION ALL SELECT l.seq, l.created_at FROM likes l JOIN posts p ON p.id = l.post_id
                            WHERE p.account_id = $1) events) ordered
                WHERE created_at < before""", id)).isZero();
    }

    @Test
    void theSameSeedWritesTheSameContentUnderOtherGuids() throws Throwable {
        SyntheticContentRequest request = new SyntheticContentRequest(60, 2, 2, 0, 0, 12, 2, 3, 7);
        long first = account("synth_same_a");
        long second = account("synth_same_b");
        generate(first, request);
        generate(second, request);

        String posts = "SELECT md5(string_agg(coalesce(text, '-') || created_at, '|' ORDER BY seq)) FROM posts"
                + " WHERE account_id = $1";
        String comments = """
                SELECT md5(string_agg(c.text || c.created_at, '|' ORDER BY c.seq)) FROM comments c
                JOIN posts p ON p.id = c.post_id WHERE p.account_id = $1""";
        String handles = "SELECT md5(string_agg(handle || created_at, '|' ORDER BY seq)) FROM contacts"
                + " WHERE account_id = $1";
        String messages = """
                SELECT md5(string_agg(m.text || m.created_at, '|' ORDER BY m.created_at, m.text)) FROM messages m
                JOIN conversation_participants cp ON cp.conversation_id = m.conversation_id AND cp.account_id = $1""";
        for (String digest : List.of(posts, comments, handles, messages)) {
            assertThat(text(digest, first)).isNotNull().isEqualTo(text(digest, second));
        }
        assertThat(count("""
                SELECT count(*) FROM posts a JOIN posts b ON a.guid = b.guid
                WHERE a.account_id = $1 AND b.account_id = $2""", first, second)).isZero();
        assertThat(text("SELECT min(guid) FROM posts WHERE account_id = $1", first))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void photosAreImageFilesMatchingTheirRows() throws Throwable {
        long id = account("synth_photos");
        generate(id, new SyntheticContentRequest(10, 0, 0, 6, 8192, 0, 0, 0, 3));

        List<Row> rows = rows(
                "SELECT file_name, size_bytes, sha256, width, height, content_type FROM photos WHERE account_id = $1",
                id);
        assertThat(rows).hasSize(6);
        for (Row row : rows) {
            byte[] bytes = Files.readAllBytes(photoStore.resolve(row.getString("file_name")));
            assertThat(row.getString("content_type")).isEqualTo("image/png");
            assertThat((long) bytes.length).isEqualTo(row.getLong("size_bytes")).isBetween(7_800L, 8_600L);
            assertThat(Sha256.hex(bytes)).isEqualTo(row.getString("sha256"));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(image.getWidth()).isEqualTo(row.getInteger("width"));
            assertThat(image.getHeight()).isEqualTo(row.getInteger("height"));
        }
    }

    @Test
    void aSecondRunWithAnotherSeedAddsToTheAccount() throws Throwable {
        long id = account("synth_twice");
        SyntheticContentRequest request = new SyntheticContentRequest(50, 1, 2, 2, 2048, 20, 2, 2, 11);
        generate(id, request);
        SyntheticContentResult second = generate(id, new SyntheticContentRequest(50, 1, 2, 2, 2048, 20, 2, 2, 12));

        assertThat(second.posts()).isEqualTo(50);
        assertThat(second.profileFilled()).isFalse();
        assertThat(count("SELECT count(*) FROM posts WHERE account_id = $1", id))
                .isEqualTo(100);
        assertThat(count("SELECT count(*) FROM photos WHERE account_id = $1", id))
                .isEqualTo(4);
        assertThat(count("SELECT count(*) FROM contacts WHERE account_id = $1", id))
                .isEqualTo(40);
        assertThat(count("SELECT count(DISTINCT seq) FROM posts WHERE account_id = $1", id))
                .isEqualTo(100);
    }

    private long account(String username) throws Throwable {
        Account account = VertxContextSupport.subscribeAndAwait(
                () -> accounts.signUp(new SignUp(username, "correct horse battery staple", username + "@example.org")));
        return account.id;
    }

    private SyntheticContentResult generate(long id, SyntheticContentRequest request) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(
                () -> generator.generate(id, "owner" + id + "@localhost:8081", request, END));
    }

    private List<Row> rows(String sql, Object... parameters) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql)
                .execute(Tuple.from(List.of(parameters)))
                .await()
                .indefinitely()
                .forEach(rows::add);
        return rows;
    }

    private long count(String sql, Object... parameters) {
        return rows(sql, parameters).get(0).getLong(0);
    }

    private String text(String sql, Object... parameters) {
        return rows(sql, parameters).get(0).getString(0);
    }

    private List<Long> longs(String sql, Object... parameters) {
        return rows(sql, parameters).stream().map(row -> row.getLong(0)).toList();
    }
}
