package org.transplant.pod.tag;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.transplant.pod.tag.TagFollowingViews.TagFollowingView;

/** Reads the tags an account follows, alphabetically; a person follows a handful, so there is one page. */
@ApplicationScoped
public class TagFollowingQueries {

    private final Pool pool;

    public TagFollowingQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<TagFollowingView>> list(long accountId) {
        return pool.preparedQuery("SELECT tag, created_at FROM tag_followings WHERE account_id = $1 ORDER BY tag")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<TagFollowingView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(new TagFollowingView(
                            r.getString("tag"),
                            r.getOffsetDateTime("created_at").toInstant())));
                    return views;
                });
    }

    public Uni<TagFollowingView> find(long accountId, String tag) {
        return pool.preparedQuery("SELECT tag, created_at FROM tag_followings WHERE account_id = $1 AND tag = $2")
                .execute(Tuple.of(accountId, tag))
                .map(rows -> rows.iterator().hasNext()
                        ? new TagFollowingView(
                                tag,
                                rows.iterator()
                                        .next()
                                        .getOffsetDateTime("created_at")
                                        .toInstant())
                        : null);
    }
}
