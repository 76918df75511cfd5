package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.pod.database.Rows;

/**
 * All comments or likes of one of the account's posts, for the posts that have more than the posts collection
 * embeds ({@link PostExporter#EMBEDDED}): {@code /migration/v1/posts/{guid}/comments} and {@code …/likes}.
 */
@ApplicationScoped
public class PostInteractions {

    private final Pool pool;

    public PostInteractions(Pool pool) {
        this.pool = pool;
    }

    /**
     * The post's internal id, or a 404 when the account has no post with that guid, or when the token's span leaves
     * it out (a backup token reads no post made outside its span, nor what hangs under one). The two 404s are the
     * same, so a span-limited token learns nothing of what lies outside its span.
     */
    public Uni<Long> ownPost(ExportScope scope, String guid) {
        return pool.preparedQuery("SELECT id FROM posts WHERE guid = $1 AND account_id = $2"
                        + " AND created_at >= $3 AND created_at <= $4")
                .execute(Tuple.of(
                        guid,
                        scope.accountId(),
                        scope.spanFrom() == null ? ExportSql.BEGINNING : ExportSql.utc(scope.spanFrom()),
                        scope.spanUntil() == null ? ExportSql.END : ExportSql.utc(scope.spanUntil())))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw scope.notFound("post", guid);
                    }
                    return rows.iterator().next().getLong(0);
                });
    }

    public CollectionExporter<CommentRecord> comments(long postId, String postGuid) {
        return exporter(
                "posts/" + postGuid + "/comments",
                "SELECT guid, author_handle, text, created_at FROM comments",
                postId,
                r -> new CommentRecord(
                        r.getString("guid"),
                        postGuid,
                        r.getString("author_handle"),
                        r.getString("text"),
                        Rows.instant(r, "created_at")));
    }

    public CollectionExporter<LikeRecord> likes(long postId, String postGuid) {
        return exporter(
                "posts/" + postGuid + "/likes",
                "SELECT guid, author_handle, positive, created_at FROM likes",
                postId,
                r -> new LikeRecord(
                        r.getString("guid"),
                        postGuid,
                        r.getString("author_handle"),
                        r.getBoolean("positive"),
                        Rows.instant(r, "created_at")));
    }

    private <T> CollectionExporter<T> exporter(String name, String select, long postId, Function<Row, T> record) {
        return new CollectionExporter<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Uni<List<Keyed<T>>> fetch(ExportScope scope, Window window, Position after, int limit) {
                return pool.preparedQuery(select + " WHERE post_id = $1 AND seq <= $2 AND seq >= $3"
                                + " AND created_at >= $4 AND created_at <= $5 AND (created_at, guid) > ($6, $7)"
                                + " ORDER BY created_at, guid LIMIT $8")
                        .execute(Tuple.from(Arrays.asList(
                                postId,
                                window.snapshot(),
                                window.fromSeq(),
                                ExportSql.since(window),
                                ExportSql.until(window),
                                ExportSql.afterTime(after),
                                ExportSql.afterKey(after),
                                limit)))
                        .map(rows -> {
                            List<Keyed<T>> items = new ArrayList<>();
                            rows.forEach(r -> items.add(
                                    new Keyed<>(record.apply(r), Rows.instant(r, "created_at"), r.getString("guid"))));
                            return items;
                        });
            }
        };
    }
}
