package org.transplant.pod.post;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.transplant.pod.Cursor;
import org.transplant.pod.database.Rows;

/** An account's public posts as the world may list them (a moved account's migration map), newest first. */
@ApplicationScoped
public class PublicPosts {

    private final Pool pool;

    public PublicPosts(Pool pool) {
        this.pool = pool;
    }

    /** How many public posts the account has. */
    public Uni<Long> count(long accountId) {
        return pool.preparedQuery("SELECT count(*) FROM posts WHERE account_id = $1 AND public")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Up to {@code limit} of the account's public posts after {@code after} (null for the newest), newest first, as
     * keyset positions: each post's created time and guid.
     */
    public Uni<List<Cursor>> page(long accountId, Cursor after, int limit) {
        return pool.preparedQuery("SELECT guid, created_at FROM posts WHERE account_id = $1 AND public"
                        + " AND (created_at, guid) < ($2, $3) ORDER BY created_at DESC, guid DESC LIMIT $4")
                .execute(Tuple.of(
                        accountId,
                        after == null
                                ? OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                                : after.createdAt().atOffset(ZoneOffset.UTC),
                        after == null ? "" : after.guid(),
                        limit))
                .map(rows -> {
                    List<Cursor> posts = new ArrayList<>();
                    for (Row row : rows) {
                        posts.add(new Cursor(Rows.instant(row, "created_at"), row.getString("guid")));
                    }
                    return posts;
                });
    }
}
