package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.pod.database.Rows;

/**
 * The posts collection: the account's posts, oldest first, each with its photos' guids, its aspects and its comments
 * and likes (at most {@link #EMBEDDED} of each per post; the counts say how many there are).
 *
 * <p>One batch is four reads: the posts, then three reads over the batch's post ids (comments, likes, photos with
 * aspects) that answer with each row's place in the batch ({@code WITH ORDINALITY}), so rows land in arrays by index.
 * The counts come from the embedded lists, which are read with the same conditions; only a post whose list is full
 * ({@link #EMBEDDED}) is counted, in a fifth read for those posts alone.
 */
@ApplicationScoped
public class PostExporter implements CollectionExporter<PostRecord> {

    public static final int EMBEDDED = 100;

    /**
     * A post changed after the delta's sequence ($3) when it is new, or when a comment or like under it is: those rows
     * take their number in the post owner's account, and a new comment does not touch the post's own. (A comment or
     * like deleted after $3 is a tombstone of the collection of that name.) Sequence $2 bounds both.
     */
    private static final String CHANGED = "(p.seq >= $3"
            + " OR EXISTS (SELECT 1 FROM comments c WHERE c.post_id = p.id AND c.seq >= $3 AND c.seq <= $2)"
            + " OR EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.seq >= $3 AND l.seq <= $2))";

    /**
     * The page's posts: at most $8 after the keyset position ($6, $7), within the window, up to the snapshot $2.
     */
    private static final String POSTS = "SELECT p.id, p.guid, p.text, p.public, p.root_guid, p.created_at"
            + " FROM posts p WHERE p.account_id = $1 AND p.seq <= $2 AND " + CHANGED
            + " AND p.created_at >= $4 AND p.created_at <= $5 AND (p.created_at, p.guid) > ($6, $7)"
            + " ORDER BY p.created_at, p.guid LIMIT $8";

    /** The batch's post ids, numbered from 1 in the order given. */
    private static final String BATCH = " unnest($1::bigint[]) WITH ORDINALITY AS b(post_id, n)";

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
        return pool.preparedQuery(POSTS)
                .execute(Tuple.from(Arrays.asList(
                        scope.accountId(),
                        window.snapshot(),
                        window.fromSeq(),
                        ExportSql.since(window),
                        ExportSql.until(window),
                        ExportSql.afterTime(after),
                        ExportSql.afterKey(after),
                        limit)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(List.<Keyed<PostRecord>>of());
                    }
                    List<Row> posts = new ArrayList<>(rows.size());
                    rows.forEach(posts::add);
                    Long[] ids = new Long[posts.size()];
                    String[] guids = new String[posts.size()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = posts.get(i).getLong(0);
                        guids[i] = posts.get(i).getString(1);
                    }
                    return Uni.combine()
                            .all()
                            .unis(
                                    comments(ids, guids, window, scope),
                                    likes(ids, guids, window, scope),
                                    photosAndAspects(ids, window, scope))
                            .asTuple()
                            .chain(embedded -> counts(ids, embedded.getItem1(), embedded.getItem2(), window, scope)
                                    .map(counts -> {
                                        List<Keyed<PostRecord>> items = new ArrayList<>(posts.size());
                                        for (int i = 0; i < ids.length; i++) {
                                            Row r = posts.get(i);
                                            PostRecord record = new PostRecord(
                                                    guids[i],
                                                    r.getString(2),
                                                    r.getBoolean(3),
                                                    orEmpty(embedded.getItem3().aspects()[i]),
                                                    r.getString(4),
                                                    Rows.instant(r, 5),
                                                    orEmpty(embedded.getItem3().photos()[i]),
                                                    counts[i][0],
                                                    counts[i][1],
                                                    orEmpty(embedded.getItem1()[i]),
                                                    orEmpty(embedded.getItem2()[i]));
                                            items.add(new Keyed<>(record, record.createdAt(), record.guid()));
                                        }
                                        return items;
                                    }));
                });
    }

    /**
     * Comment and like totals per post at the snapshot, within the token's span (as the per-post pages). The
     * embedded lists are read with the same conditions, so a list shorter than {@link #EMBEDDED} is its total;
     * only the posts whose list is full are counted, in one read.
     */
    private Uni<long[][]> counts(
            Long[] ids, List<CommentRecord>[] comments, List<LikeRecord>[] likes, Window window, ExportScope scope) {
        long[][] counts = new long[ids.length][];
        // The places in the batch of the posts counted apart, in the order their ids are sent.
        List<Integer> full = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            counts[i] = new long[] {size(comments[i]), size(likes[i])};
            if (counts[i][0] >= EMBEDDED || counts[i][1] >= EMBEDDED) {
                full.add(i);
            }
        }
        if (full.isEmpty()) {
            return Uni.createFrom().item(counts);
        }
        Long[] fullIds = full.stream().map(i -> ids[i]).toArray(Long[]::new);
        return pool.preparedQuery("SELECT b.n,"
                        + " (SELECT count(*) FROM comments c WHERE c.post_id = b.post_id AND c.seq <= $2"
                        + "   AND c.created_at >= $3 AND c.created_at <= $4),"
                        + " (SELECT count(*) FROM likes l WHERE l.post_id = b.post_id AND l.seq <= $2"
                        + "   AND l.created_at >= $3 AND l.created_at <= $4) FROM" + BATCH)
                .execute(Tuple.of(fullIds, window.snapshot(), spanFrom(scope), spanUntil(scope)))
                .map(rows -> {
                    rows.forEach(r -> counts[full.get(r.getInteger(0) - 1)] = new long[] {r.getLong(1), r.getLong(2)});
                    return counts;
                });
    }

    private static long size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    /**
     * A backup token's span binds what posts embed as it binds the posts: a comment made outside the span is not
     * shown, even under a post made within it.
     */
    private Uni<List<CommentRecord>[]> comments(Long[] ids, String[] guids, Window window, ExportScope scope) {
        return embedded(
                ids.length,
                "SELECT b.n, x.guid, x.author_handle, x.text, x.created_at FROM" + BATCH
                        + " CROSS JOIN LATERAL (SELECT c.guid, c.author_handle, c.text, c.created_at FROM comments c"
                        + " WHERE c.post_id = b.post_id AND c.seq <= $2 AND c.created_at >= $3 AND c.created_at <= $4"
                        + " ORDER BY c.created_at, c.guid LIMIT " + EMBEDDED + ") x ORDER BY b.n, x.created_at, x.guid",
                Tuple.of(ids, window.snapshot(), spanFrom(scope), spanUntil(scope)),
                r -> new CommentRecord(
                        r.getString(1),
                        guids[r.getInteger(0) - 1],
                        r.getString(2),
                        r.getString(3),
                        Rows.instant(r, 4)));
    }

    private Uni<List<LikeRecord>[]> likes(Long[] ids, String[] guids, Window window, ExportScope scope) {
        return embedded(
                ids.length,
                "SELECT b.n, x.guid, x.author_handle, x.positive, x.created_at FROM" + BATCH
                        + " CROSS JOIN LATERAL (SELECT l.guid, l.author_handle, l.positive, l.created_at FROM likes l"
                        + " WHERE l.post_id = b.post_id AND l.seq <= $2 AND l.created_at >= $3 AND l.created_at <= $4"
                        + " ORDER BY l.created_at, l.guid LIMIT " + EMBEDDED + ") x ORDER BY b.n, x.created_at, x.guid",
                Tuple.of(ids, window.snapshot(), spanFrom(scope), spanUntil(scope)),
                r -> new LikeRecord(
                        r.getString(1),
                        guids[r.getInteger(0) - 1],
                        r.getString(2),
                        r.getBoolean(3),
                        Rows.instant(r, 4)));
    }

    /** Each post's photos' guids and aspects' names, by the post's place in the batch. */
    private record PhotosAndAspects(List<String>[] photos, List<String>[] aspects) {}

    /**
     * The guids of the posts' photos, within the span too (a photo outside it is not the grant's to name), and the
     * names of their aspects: one read, each row marked with what it is ({@code p} or {@code a}).
     */
    private Uni<PhotosAndAspects> photosAndAspects(Long[] ids, Window window, ExportScope scope) {
        return pool.preparedQuery("SELECT b.n, 'p' AS kind, ph.guid AS value, ph.created_at FROM" + BATCH
                        + " JOIN photos ph ON ph.post_id = b.post_id"
                        + " WHERE ph.seq <= $2 AND ph.created_at >= $3 AND ph.created_at <= $4"
                        + " UNION ALL SELECT b.n, 'a', a.name, NULL FROM" + BATCH
                        + " JOIN post_aspects pa ON pa.post_id = b.post_id JOIN aspects a ON a.id = pa.aspect_id"
                        + " ORDER BY 1, 2, 4, 3")
                .execute(Tuple.of(ids, window.snapshot(), spanFrom(scope), spanUntil(scope)))
                .map(rows -> {
                    @SuppressWarnings("unchecked")
                    List<String>[] photos = new List[ids.length];
                    @SuppressWarnings("unchecked")
                    List<String>[] aspects = new List[ids.length];
                    for (Row r : rows) {
                        List<String>[] into = "p".equals(r.getString(1)) ? photos : aspects;
                        int at = r.getInteger(0) - 1;
                        if (into[at] == null) {
                            into[at] = new ArrayList<>();
                        }
                        into[at].add(r.getString(2));
                    }
                    return new PhotosAndAspects(photos, aspects);
                });
    }

    /** Rows whose first column is the post's place in the batch, gathered into one list per post. */
    private <T> Uni<List<T>[]> embedded(int batch, String sql, Tuple parameters, Function<Row, T> item) {
        return pool.preparedQuery(sql).execute(parameters).map((RowSet<Row> rows) -> {
            @SuppressWarnings("unchecked")
            List<T>[] byPost = new List[batch];
            for (Row r : rows) {
                int at = r.getInteger(0) - 1;
                if (byPost[at] == null) {
                    byPost[at] = new ArrayList<>();
                }
                byPost[at].add(item.apply(r));
            }
            return byPost;
        });
    }

    private static OffsetDateTime spanFrom(ExportScope scope) {
        return scope.spanFrom() == null ? ExportSql.BEGINNING : ExportSql.utc(scope.spanFrom());
    }

    private static OffsetDateTime spanUntil(ExportScope scope) {
        return scope.spanUntil() == null ? ExportSql.END : ExportSql.utc(scope.spanUntil());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
