package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.pod.database.Rows;

/**
 * The posts collection: the account's posts, oldest first, each with its photos' guids, its aspects and its comments
 * and likes (at most {@link #EMBEDDED} of each per post; the counts say how many there are).
 */
@ApplicationScoped
public class PostExporter implements CollectionExporter<PostRecord> {

    public static final int EMBEDDED = 100;

    private final Pool pool;

    public PostExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "posts";
    }

    @Override
    public Uni<List<Keyed<PostRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        return pool.preparedQuery("SELECT p.id, p.guid, p.text, p.public, p.root_guid, p.created_at"
                + " FROM posts p WHERE p.account_id = $1 AND p.seq <= $2 AND p.seq >= $3"
                + " AND p.created_at >= $4 AND p.created_at <= $5 AND (p.created_at, p.guid) > ($6, $7)"
                + " ORDER BY p.created_at, p.guid LIMIT $8")
                .execute(Tuple.from(Arrays.asList(scope.accountId(), window.snapshot(), window.fromSeq(),
                        ExportSql.since(window), ExportSql.until(window), ExportSql.afterTime(after),
                        ExportSql.afterKey(after), limit)))
                .chain(rows -> {
                    List<Row> posts = new ArrayList<>();
                    rows.forEach(posts::add);
                    if (posts.isEmpty()) {
                        return Uni.createFrom().item(List.<Keyed<PostRecord>>of());
                    }
                    Long[] ids = posts.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
                    Map<Long, String> guids = new HashMap<>();
                    posts.forEach(r -> guids.put(r.getLong("id"), r.getString("guid")));
                    return Uni.combine().all()
                            .unis(comments(ids, guids, window), likes(ids, guids, window), photos(ids, window),
                                    aspects(ids), counts(ids, window))
                            .asTuple()
                            .map(extra -> posts.stream().map(r -> {
                                long id = r.getLong("id");
                                long[] counts = extra.getItem5().getOrDefault(id, new long[2]);
                                PostRecord record = new PostRecord(r.getString("guid"), r.getString("text"),
                                        r.getBoolean("public"), extra.getItem4().getOrDefault(id, List.of()),
                                        r.getString("root_guid"), Rows.instant(r, "created_at"),
                                        extra.getItem3().getOrDefault(id, List.of()), counts[0], counts[1],
                                        extra.getItem1().getOrDefault(id, List.of()),
                                        extra.getItem2().getOrDefault(id, List.of()));
                                return new Keyed<>(record, record.createdAt(), record.guid());
                            }).toList());
                });
    }

    /** Comment and like totals per post at the snapshot, in one grouped read each. */
    private Uni<Map<Long, long[]>> counts(Long[] ids, Window window) {
        return pool.preparedQuery("SELECT post_id, 0 AS kind, count(*) FROM comments WHERE post_id = ANY($1)"
                + " AND seq <= $2 GROUP BY post_id UNION ALL SELECT post_id, 1, count(*) FROM likes"
                + " WHERE post_id = ANY($1) AND seq <= $2 GROUP BY post_id")
                .execute(Tuple.of(ids, window.snapshot()))
                .map(rows -> {
                    Map<Long, long[]> counts = new HashMap<>();
                    rows.forEach(r -> counts.computeIfAbsent(r.getLong(0), k -> new long[2])[r.getInteger(1)] =
                            r.getLong(2));
                    return counts;
                });
    }

    private Uni<Map<Long, List<CommentRecord>>> comments(Long[] ids, Map<Long, String> guids, Window window) {
        return pool.preparedQuery("SELECT x.post_id, x.guid, x.author_handle, x.text, x.created_at FROM"
                + " (SELECT c.*, row_number() OVER (PARTITION BY c.post_id ORDER BY c.created_at, c.guid) AS n"
                + " FROM comments c WHERE c.post_id = ANY($1) AND c.seq <= $2) x WHERE x.n <= $3"
                + " ORDER BY x.created_at, x.guid")
                .execute(Tuple.of(ids, window.snapshot(), EMBEDDED))
                .map(rows -> {
                    Map<Long, List<CommentRecord>> byPost = new HashMap<>();
                    rows.forEach(r -> byPost.computeIfAbsent(r.getLong("post_id"), k -> new ArrayList<>())
                            .add(new CommentRecord(r.getString("guid"), guids.get(r.getLong("post_id")),
                                    r.getString("author_handle"), r.getString("text"),
                                    Rows.instant(r, "created_at"))));
                    return byPost;
                });
    }

    private Uni<Map<Long, List<LikeRecord>>> likes(Long[] ids, Map<Long, String> guids, Window window) {
        return pool.preparedQuery("SELECT x.post_id, x.guid, x.author_handle, x.positive, x.created_at FROM"
                + " (SELECT l.*, row_number() OVER (PARTITION BY l.post_id ORDER BY l.created_at, l.guid) AS n"
                + " FROM likes l WHERE l.post_id = ANY($1) AND l.seq <= $2) x WHERE x.n <= $3"
                + " ORDER BY x.created_at, x.guid")
                .execute(Tuple.of(ids, window.snapshot(), EMBEDDED))
                .map(rows -> {
                    Map<Long, List<LikeRecord>> byPost = new HashMap<>();
                    rows.forEach(r -> byPost.computeIfAbsent(r.getLong("post_id"), k -> new ArrayList<>())
                            .add(new LikeRecord(r.getString("guid"), guids.get(r.getLong("post_id")),
                                    r.getString("author_handle"), r.getBoolean("positive"),
                                    Rows.instant(r, "created_at"))));
                    return byPost;
                });
    }

    private Uni<Map<Long, List<String>>> photos(Long[] ids, Window window) {
        return pool.preparedQuery("SELECT post_id, guid FROM photos WHERE post_id = ANY($1) AND seq <= $2"
                + " ORDER BY created_at, guid")
                .execute(Tuple.of(ids, window.snapshot()))
                .map(rows -> group(rows, "guid"));
    }

    private Uni<Map<Long, List<String>>> aspects(Long[] ids) {
        return pool.preparedQuery("SELECT pa.post_id, a.name FROM post_aspects pa JOIN aspects a ON a.id = pa.aspect_id"
                + " WHERE pa.post_id = ANY($1) ORDER BY a.name")
                .execute(Tuple.of((Object) ids))
                .map(rows -> group(rows, "name"));
    }

    private static Map<Long, List<String>> group(io.vertx.mutiny.sqlclient.RowSet<Row> rows, String column) {
        Map<Long, List<String>> byPost = new HashMap<>();
        rows.forEach(r -> byPost.computeIfAbsent(r.getLong("post_id"), k -> new ArrayList<>())
                .add(r.getString(column)));
        return byPost;
    }
}
