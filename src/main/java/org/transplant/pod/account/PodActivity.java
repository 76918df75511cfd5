package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** How many people use this pod and how much they wrote: the counts NodeInfo publishes. */
@ApplicationScoped
public class PodActivity {

    /** Active accounts, accounts signed in within half a year and a month, their posts, and all comments. */
    public record Counts(long users, long activeHalfyear, long activeMonth, long localPosts, long localComments) {}

    private final Pool pool;

    public PodActivity(Pool pool) {
        this.pool = pool;
    }

    public Uni<Counts> counts() {
        return pool.query("SELECT (SELECT count(*) FROM accounts WHERE state = 'ACTIVE'),"
                        + " (SELECT count(DISTINCT account_id) FROM sessions WHERE created_at > now() - interval '180 days'),"
                        + " (SELECT count(DISTINCT account_id) FROM sessions WHERE created_at > now() - interval '30 days'),"
                        + " (SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.state = 'ACTIVE'),"
                        + " (SELECT count(*) FROM comments)")
                .execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Counts(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
                });
    }
}
