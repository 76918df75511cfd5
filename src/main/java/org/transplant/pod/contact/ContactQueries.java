package org.transplant.pod.contact;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.pod.PodUrls;
import org.transplant.pod.contact.ContactViews.AspectView;
import org.transplant.pod.contact.ContactViews.ContactPage;
import org.transplant.pod.contact.ContactViews.ContactView;
import org.transplant.web.ProblemException;

/**
 * Reads one account's contacts and aspects, by keyset on the handle (unique per account). A contact on this pod
 * shows the name from their current profile; another pod's contact the name stored with it, or the user part.
 */
@ApplicationScoped
public class ContactQueries {

    /** $1 is the account, $2 this pod's host. */
    private static final String COLUMNS = "SELECT c.handle, c.following, c.follower, c.blocked,"
            + " COALESCE(NULLIF(trim(concat_ws(' ', p.first_name, p.last_name)), ''), c.display_name,"
            + " split_part(c.handle, '@', 1)) AS display_name,"
            + " ARRAY(SELECT a.name FROM contact_aspects ca JOIN aspects a ON a.id = ca.aspect_id"
            + " WHERE ca.contact_id = c.id ORDER BY a.name) AS aspects"
            + " FROM contacts c"
            + " LEFT JOIN accounts la ON split_part(c.handle, '@', 2) = lower($2)"
            + " AND la.username = split_part(c.handle, '@', 1)"
            + " LEFT JOIN profiles p ON p.account_id = la.id"
            + " WHERE c.account_id = $1";

    private final Pool pool;
    private final PodUrls urls;

    public ContactQueries(Pool pool, PodUrls urls) {
        this.pool = pool;
        this.urls = urls;
    }

    /** A page of contacts after a handle; {@code filter} is following, followers, blocked, or null for all. */
    public Uni<ContactPage> page(long accountId, String filter, String after, int limit) {
        Tuple args = Tuple.of(accountId, urls.host(), limit + 1, after == null ? "" : after);
        return pool.preparedQuery(COLUMNS + condition(filter) + " AND c.handle > $4 ORDER BY c.handle LIMIT $3")
                .execute(args)
                .map(rows -> {
                    List<ContactView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(view(r)));
                    if (views.size() <= limit) {
                        return new ContactPage(views, null);
                    }
                    List<ContactView> items = List.copyOf(views.subList(0, limit));
                    return new ContactPage(items, items.get(limit - 1).handle());
                });
    }

    /** One contact, or null when the account has no row for the handle. */
    public Uni<ContactView> find(long accountId, String handle) {
        return pool.preparedQuery(COLUMNS + " AND c.handle = $3")
                .execute(Tuple.of(accountId, urls.host(), handle))
                .map(rows -> rows.iterator().hasNext() ? view(rows.iterator().next()) : null);
    }

    /** The account's aspects in the order they were made, with how many contacts each holds. */
    public Uni<List<AspectView>> aspects(long accountId) {
        return pool.preparedQuery("SELECT a.name, count(ca.contact_id) AS members FROM aspects a"
                        + " LEFT JOIN contact_aspects ca ON ca.aspect_id = a.id WHERE a.account_id = $1"
                        + " GROUP BY a.id, a.name ORDER BY a.id")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<AspectView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(new AspectView(r.getString("name"), r.getLong("members"))));
                    return views;
                });
    }

    private static String condition(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "";
        }
        return switch (filter) {
            case "following" -> " AND c.following";
            case "followers" -> " AND c.follower AND NOT c.blocked";
            case "blocked" -> " AND c.blocked";
            default -> throw ProblemException.invalid("filter", "must be following, followers or blocked");
        };
    }

    private static ContactView view(Row r) {
        return new ContactView(
                r.getString("handle"),
                r.getString("display_name"),
                r.getBoolean("following"),
                r.getBoolean("follower"),
                r.getBoolean("blocked"),
                Arrays.asList(r.getArrayOfStrings("aspects")));
    }
}
