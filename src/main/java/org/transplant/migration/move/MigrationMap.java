package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.transplant.pod.Cursor;
import org.transplant.pod.PodUrls;
import org.transplant.pod.database.Rows;
import org.transplant.web.ProblemException;

/**
 * A moved account's migration map (FEP-1580), one page of {@code Move} items from its public posts' old URLs to the
 * new ones. It is derived from the move's URL pattern, so it needs no table of its own.
 */
@ApplicationScoped
public class MigrationMap {

    private static final int PAGE = 100;

    private final Pool pool;
    private final PodUrls urls;

    public MigrationMap(Pool pool, PodUrls urls) {
        this.pool = pool;
        this.urls = urls;
    }

    /** The page after {@code page} (a cursor; null for the first) of the map; a 404 problem unless it moved. */
    public Uni<JsonObject> page(String username, String page) {
        Cursor after = Cursor.decode(page);
        String self = urls.url("/u/" + username + "/migration");
        return pool.preparedQuery("SELECT a.id, a.moved_to_post_url, a.moved_at, (SELECT count(*) FROM posts p"
                        + " WHERE p.account_id = a.id AND p.public) AS total FROM accounts a"
                        + " WHERE a.username = $1 AND a.state IN ('MOVED', 'CLOSED')")
                .execute(Tuple.of(username))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("A moved account " + username);
                    }
                    Row account = rows.iterator().next();
                    return pool.preparedQuery("SELECT guid, created_at FROM posts WHERE account_id = $1 AND public"
                                    + " AND (created_at, guid) < ($2, $3) ORDER BY created_at DESC, guid DESC LIMIT $4")
                            .execute(Tuple.of(
                                    account.getLong("id"),
                                    after == null
                                            ? OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                                            : after.createdAt().atOffset(ZoneOffset.UTC),
                                    after == null ? "" : after.guid(),
                                    PAGE + 1))
                            .map(posts -> collection(self, account, posts, page));
                });
    }

    private JsonObject collection(String self, Row account, RowSet<Row> posts, String page) {
        String pattern = account.getString("moved_to_post_url");
        List<Row> rows = new ArrayList<>();
        posts.forEach(rows::add);
        boolean more = rows.size() > PAGE;
        JsonArray items = new JsonArray();
        for (Row post : rows.subList(0, Math.min(PAGE, rows.size()))) {
            String guid = post.getString("guid");
            items.add(new JsonObject()
                    .put("type", "Move")
                    .put("origin", urls.url("/posts/" + guid))
                    .put("target", pattern.replace("{guid}", guid)));
        }
        JsonObject body = new JsonObject()
                .put(
                        "@context",
                        new JsonArray()
                                .add("https://www.w3.org/ns/activitystreams")
                                .add(new JsonObject()
                                        .put("migrationComplete", "https://w3id.org/fep/1580#migrationComplete")))
                .put("id", page == null ? self : self + "?page=" + page)
                .put("type", page == null ? "OrderedCollection" : "OrderedCollectionPage")
                .put("totalItems", account.getLong("total"))
                .put("migrationComplete", true)
                .put("published", Rows.instant(account, "moved_at").toString())
                .put("orderedItems", items);
        if (page != null) {
            body.put("partOf", self);
        }
        if (more) {
            Row last = rows.get(PAGE - 1);
            body.put(
                    "next",
                    self + "?page=" + new Cursor(Rows.instant(last, "created_at"), last.getString("guid")).encode());
        }
        return body;
    }
}
