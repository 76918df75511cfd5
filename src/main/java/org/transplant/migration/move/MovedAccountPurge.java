package org.transplant.migration.move;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.photo.PhotoStore;

/**
 * After the retention period, the old pod drops its copies of a moved account: texts, comments, likes, contacts,
 * conversations' membership, tags, notifications, the profile, and photo files that were copied to the new pod.
 * It keeps what the redirects need: the account row and each post's and photo's guid. Photos the person chose to
 * keep here (the move named no new photo URL) are never purged.
 */
@ApplicationScoped
public class MovedAccountPurge {

    private static final Logger LOG = Logger.getLogger(MovedAccountPurge.class);

    private final Pool pool;
    private final PhotoStore photos;
    private final Duration retention;

    public MovedAccountPurge(Pool pool, PhotoStore photos, TransplantConfig config) {
        this.pool = pool;
        this.photos = photos;
        this.retention = config.moves().retention();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purgeMovedBefore(retention).replaceWithVoid();
    }

    /** Purges every account that moved longer than {@code age} ago and is not purged yet; returns how many. */
    public Uni<Integer> purgeMovedBefore(Duration age) {
        return pool.preparedQuery("SELECT id FROM accounts WHERE state = 'MOVED' AND purged_at IS NULL"
                        + " AND moved_at < now() - $1 * interval '1 second'")
                .execute(Tuple.of(age.toSeconds()))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong(0)));
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (long id : ids) {
                        chain = chain.chain(() -> purge(id));
                    }
                    return chain.replaceWith(ids.size());
                });
    }

    /** Purges one moved account now: when its retention ends, or when its owner deletes what is left. */
    Uni<Void> purge(long accountId) {
        List<String> files = new ArrayList<>();
        return pool.withTransaction(c -> statements(c, accountId, files))
                .invoke(() -> files.forEach(photos::delete))
                .invoke(() -> LOG.infof(
                        "Purged the old copies of moved account %d (%d photo files)", accountId, files.size()));
    }

    private static Uni<Void> statements(SqlConnection c, long id, List<String> files) {
        Tuple account = Tuple.of(id);
        return c.preparedQuery("SELECT ph.file_name FROM photos ph JOIN accounts a ON a.id = ph.account_id"
                        + " WHERE ph.account_id = $1 AND a.moved_to_photo_url IS NOT NULL AND ph.file_name IS NOT NULL")
                .execute(account)
                .invoke(rows -> rows.forEach(r -> files.add(r.getString(0))))
                .chain(() -> run(
                        c,
                        account,
                        "DELETE FROM comments WHERE post_id IN (SELECT id FROM posts WHERE account_id = $1)",
                        "DELETE FROM likes WHERE post_id IN (SELECT id FROM posts WHERE account_id = $1)",
                        "DELETE FROM post_aspects WHERE post_id IN (SELECT id FROM posts WHERE account_id = $1)",
                        "UPDATE posts SET text = NULL WHERE account_id = $1",
                        "UPDATE photos ph SET caption = NULL FROM accounts a WHERE a.id = ph.account_id"
                                + " AND ph.account_id = $1 AND a.moved_to_photo_url IS NOT NULL",
                        "DELETE FROM contacts WHERE account_id = $1",
                        "DELETE FROM aspects WHERE account_id = $1",
                        "DELETE FROM conversation_participants WHERE account_id = $1",
                        "DELETE FROM tag_followings WHERE account_id = $1",
                        "DELETE FROM notifications WHERE account_id = $1",
                        "UPDATE profiles SET first_name = NULL, last_name = NULL, bio = NULL, avatar_url = NULL,"
                                + " location = NULL, birthday = NULL, gender = NULL, tag_string = NULL"
                                + " WHERE account_id = $1",
                        "UPDATE accounts SET purged_at = now() WHERE id = $1"));
    }

    private static Uni<Void> run(SqlConnection c, Tuple args, String... statements) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String sql : statements) {
            chain = chain.chain(() -> c.preparedQuery(sql).execute(args).replaceWithVoid());
        }
        return chain;
    }
}
