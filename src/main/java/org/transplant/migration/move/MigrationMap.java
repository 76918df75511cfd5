package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.transplant.pod.Cursor;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.MovedAway;
import org.transplant.pod.account.MovedAway.MovedAccount;
import org.transplant.pod.post.PublicPosts;
import org.transplant.web.ProblemException;

/**
 * A moved account's migration map (FEP-1580), one page of {@code Move} items from its public posts' old URLs to the
 * new ones. It is derived from the move's URL pattern, so it needs no table of its own.
 */
@ApplicationScoped
public class MigrationMap {

    private static final int PAGE = 100;

    private final MovedAway movedAway;
    private final PublicPosts publicPosts;
    private final PodUrls urls;

    public MigrationMap(MovedAway movedAway, PublicPosts publicPosts, PodUrls urls) {
        this.movedAway = movedAway;
        this.publicPosts = publicPosts;
        this.urls = urls;
    }

    /** The page after {@code page} (a cursor; null for the first) of the map; a 404 problem unless it moved. */
    public Uni<JsonObject> page(String username, String page) {
        Cursor after = Cursor.decode(page);
        String self = urls.url("/u/" + username + "/migration");
        return movedAway.byUsername(username).chain(account -> {
            if (account == null) {
                throw ProblemException.notFound("A moved account " + username);
            }
            return publicPosts
                    .count(account.accountId())
                    .chain(total -> publicPosts
                            .page(account.accountId(), after, PAGE + 1)
                            .map(posts -> collection(self, account, total, posts, page)));
        });
    }

    private JsonObject collection(String self, MovedAccount account, long total, List<Cursor> posts, String page) {
        String pattern = account.postUrlPattern();
        boolean more = posts.size() > PAGE;
        JsonArray items = new JsonArray();
        for (Cursor post : posts.subList(0, Math.min(PAGE, posts.size()))) {
            String guid = post.guid();
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
                .put("totalItems", total)
                .put("migrationComplete", true)
                .put("published", account.movedAt().toString())
                .put("orderedItems", items);
        if (page != null) {
            body.put("partOf", self);
        }
        if (more) {
            body.put("next", self + "?page=" + posts.get(PAGE - 1).encode());
        }
        return body;
    }
}
