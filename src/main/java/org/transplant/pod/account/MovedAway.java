package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.transplant.pod.database.Rows;

/**
 * What this pod remembers of its accounts that moved away (MOVED, or CLOSED after a move): where each went, and the
 * new URL patterns its old profile, posts and photos lead to. The move writes these through {@link AccountStates};
 * the redirects, the migration map, the purge and the moved account's own page read them here.
 */
@ApplicationScoped
public class MovedAway {

    /** Where a MOVED account went, and when. */
    public record Moved(String movedTo, Instant movedAt) {}

    /** A moved (or moved and closed) account's id, its new post URL pattern, and when it moved. */
    public record MovedAccount(long accountId, String postUrlPattern, Instant movedAt) {}

    private final Pool pool;

    public MovedAway(Pool pool) {
        this.pool = pool;
    }

    /** Where the account went, or null unless it is MOVED. */
    public Uni<Moved> of(long accountId) {
        return pool.preparedQuery("SELECT moved_to, moved_at FROM accounts WHERE id = $1 AND state = 'MOVED'")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Moved(row.getString("moved_to"), Rows.instant(row, "moved_at"));
                });
    }

    /** The account {@code username} if it moved away (MOVED or CLOSED after the move), else null. */
    public Uni<MovedAccount> byUsername(String username) {
        return pool.preparedQuery("SELECT id, moved_to_post_url, moved_at FROM accounts WHERE username = $1"
                        + " AND state IN ('MOVED', 'CLOSED')")
                .execute(Tuple.of(username))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new MovedAccount(
                            row.getLong("id"), row.getString("moved_to_post_url"), Rows.instant(row, "moved_at"));
                });
    }

    /** The new profile URL of the moved account {@code username}, or null. */
    public Uni<String> profileUrl(String username) {
        return first(
                "SELECT moved_to_profile_url FROM accounts WHERE username = $1 AND state IN ('MOVED', 'CLOSED')",
                username);
    }

    /** The new post URL pattern (with {@code {guid}}) of the moved author of the post {@code guid}, or null. */
    public Uni<String> postUrlPattern(String postGuid) {
        return first(
                "SELECT a.moved_to_post_url FROM posts p JOIN accounts a ON a.id = p.account_id"
                        + " WHERE p.guid = $1 AND a.state IN ('MOVED', 'CLOSED')",
                postGuid);
    }

    /** The new photo URL pattern (with {@code {guid}}) of the moved owner of the photo {@code guid}, or null. */
    public Uni<String> photoUrlPattern(String photoGuid) {
        return first(
                "SELECT a.moved_to_photo_url FROM photos ph JOIN accounts a ON a.id = ph.account_id"
                        + " WHERE ph.guid = $1 AND a.state IN ('MOVED', 'CLOSED')",
                photoGuid);
    }

    /** The MOVED accounts that moved longer than {@code age} ago and whose old copies are not purged yet. */
    public Uni<List<Long>> unpurgedMovedBefore(Duration age) {
        return pool.preparedQuery("SELECT id FROM accounts WHERE state = 'MOVED' AND purged_at IS NULL"
                        + " AND moved_at < now() - $1 * interval '1 second'")
                .execute(Tuple.of(age.toSeconds()))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong(0)));
                    return ids;
                });
    }

    private Uni<String> first(String sql, String key) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(key))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }
}
