package org.transplant.pod.post;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transplant.pod.Cursor;
import org.transplant.pod.PodUrls;
import org.transplant.pod.database.Rows;
import org.transplant.pod.post.PostViews.CommentView;
import org.transplant.pod.post.PostViews.LikeView;
import org.transplant.pod.post.PostViews.PhotoRef;
import org.transplant.pod.post.PostViews.PostPage;
import org.transplant.pod.post.PostViews.PostView;

/**
 * Reads posts as a viewer may see them, newest first, by keyset on (created_at, guid). Visibility is decided in SQL:
 * a post is public, or the viewer wrote it, or the viewer is an unblocked contact in one of its aspects.
 */
@ApplicationScoped
public class PostQueries {

    /** The viewer is $2 (account id, or 0 for nobody) with handle $3. */
    public static final String VISIBLE = "(p.public OR p.account_id = $2 OR EXISTS (SELECT 1 FROM post_aspects pa"
            + " JOIN contact_aspects ca ON ca.aspect_id = pa.aspect_id JOIN contacts c ON c.id = ca.contact_id"
            + " WHERE pa.post_id = p.id AND c.handle = $3 AND NOT c.blocked))";

    private static final String COLUMNS = "SELECT p.id, p.guid, p.text, p.public, p.root_guid, p.created_at,"
            + " p.account_id, a.username,"
            + " (SELECT count(*) FROM comments c WHERE c.post_id = p.id) AS comment_count,"
            + " (SELECT count(*) FROM likes l WHERE l.post_id = p.id) AS like_count"
            + " FROM posts p JOIN accounts a ON a.id = p.account_id";

    private final Pool pool;
    private final PodUrls urls;

    public PostQueries(Pool pool, PodUrls urls) {
        this.pool = pool;
        this.urls = urls;
    }

    /** One post, or null when it does not exist or the viewer may not see it (the two look the same). */
    public Uni<PostView> find(String guid, long viewerId, String viewerHandle) {
        return pool.preparedQuery(COLUMNS + " WHERE p.guid = $1 AND " + VISIBLE)
                .execute(Tuple.of(guid, viewerId, viewerHandle))
                .chain(rows -> toViews(rows, viewerId))
                .map(views -> views.isEmpty() ? null : views.get(0));
    }

    /** A page of one author's posts that the viewer may see. */
    public Uni<PostPage> byAuthor(long authorId, long viewerId, String viewerHandle, Cursor after, int limit) {
        Tuple args = Tuple.of(authorId, viewerId, viewerHandle, limit + 1);
        String keyset = "";
        if (after != null) {
            keyset = " AND (p.created_at, p.guid) < ($5, $6)";
            args.addOffsetDateTime(after.createdAt().atOffset(ZoneOffset.UTC)).addString(after.guid());
        }
        return pool.preparedQuery(COLUMNS + " WHERE p.account_id = $1 AND " + VISIBLE + keyset
                        + " ORDER BY p.created_at DESC, p.guid DESC LIMIT $4")
                .execute(args)
                .chain(rows -> toViews(rows, viewerId))
                .map(views -> page(views, limit));
    }

    public Uni<List<CommentView>> comments(long postId, int limit) {
        return pool.preparedQuery("SELECT guid, author_handle, text, created_at FROM comments WHERE post_id = $1"
                        + " ORDER BY created_at, guid LIMIT $2")
                .execute(Tuple.of(postId, limit))
                .map(rows -> {
                    List<CommentView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(new CommentView(
                            r.getString("guid"),
                            r.getString("author_handle"),
                            r.getString("text"),
                            Rows.instant(r, "created_at"))));
                    return views;
                });
    }

    public Uni<List<LikeView>> likes(long postId, int limit) {
        return pool.preparedQuery("SELECT guid, author_handle, created_at FROM likes WHERE post_id = $1"
                        + " ORDER BY created_at, guid LIMIT $2")
                .execute(Tuple.of(postId, limit))
                .map(rows -> {
                    List<LikeView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(new LikeView(
                            r.getString("guid"), r.getString("author_handle"), Rows.instant(r, "created_at"))));
                    return views;
                });
    }

    /** The internal id of a visible post, for comments and likes; null when not visible. */
    public Uni<Long> visiblePostId(String guid, long viewerId, String viewerHandle) {
        return pool.preparedQuery("SELECT p.id FROM posts p WHERE p.guid = $1 AND " + VISIBLE)
                .execute(Tuple.of(guid, viewerId, viewerHandle))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null);
    }

    /** The aspect names an author can limit a post to. */
    public Uni<List<String>> audiences(long accountId) {
        return pool.preparedQuery("SELECT name FROM aspects WHERE account_id = $1 ORDER BY id")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    rows.forEach(r -> names.add(r.getString(0)));
                    return names;
                });
    }

    private Uni<List<PostView>> toViews(RowSet<Row> rows, long viewerId) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        if (list.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] ids = list.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
        Uni<Map<Long, List<PhotoRef>>> photos = pool.preparedQuery(
                        "SELECT post_id, guid, width, height FROM photos WHERE post_id = ANY($1) ORDER BY created_at, guid")
                .execute(Tuple.of(ids))
                .map(photoRows -> {
                    Map<Long, List<PhotoRef>> byPost = new HashMap<>();
                    photoRows.forEach(r -> byPost.computeIfAbsent(r.getLong("post_id"), k -> new ArrayList<>())
                            .add(new PhotoRef(
                                    r.getString("guid"),
                                    urls.url("/photos/" + r.getString("guid")),
                                    r.getInteger("width"),
                                    r.getInteger("height"))));
                    return byPost;
                });
        Uni<Map<Long, List<String>>> aspects = pool.preparedQuery("SELECT pa.post_id, a.name FROM post_aspects pa"
                        + " JOIN aspects a ON a.id = pa.aspect_id WHERE pa.post_id = ANY($1) AND a.account_id = $2"
                        + " ORDER BY a.name")
                .execute(Tuple.of(ids, viewerId))
                .map(aspectRows -> {
                    Map<Long, List<String>> byPost = new HashMap<>();
                    aspectRows.forEach(r -> byPost.computeIfAbsent(r.getLong("post_id"), k -> new ArrayList<>())
                            .add(r.getString("name")));
                    return byPost;
                });
        return Uni.combine()
                .all()
                .unis(photos, aspects)
                .asTuple()
                .map(both -> list.stream()
                        .map(r -> new PostView(
                                r.getString("guid"),
                                urls.handleOf(r.getString("username")),
                                urls.url("/u/" + r.getString("username")),
                                r.getString("text"),
                                r.getBoolean("public"),
                                both.getItem2().getOrDefault(r.getLong("id"), List.of()),
                                r.getString("root_guid"),
                                both.getItem1().getOrDefault(r.getLong("id"), List.of()),
                                r.getLong("comment_count"),
                                r.getLong("like_count"),
                                Rows.instant(r, "created_at"),
                                urls.url("/posts/" + r.getString("guid"))))
                        .toList());
    }

    private static PostPage page(List<PostView> views, int limit) {
        if (views.size() <= limit) {
            return new PostPage(views, null);
        }
        List<PostView> items = views.subList(0, limit);
        PostView last = items.get(limit - 1);
        return new PostPage(List.copyOf(items), new Cursor(last.createdAt(), last.guid()).encode());
    }
}
