package org.transplant.pod.notification;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Reads an account's latest notifications, newest first. */
@ApplicationScoped
public class NotificationQueries {

    private final Pool pool;

    public NotificationQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<NotificationView>> latest(long accountId, int limit) {
        return pool.preparedQuery("SELECT id, kind, actor_handle, target_guid, unread, created_at FROM notifications"
                        + " WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
                .execute(Tuple.of(accountId, limit))
                .map(rows -> {
                    List<NotificationView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(new NotificationView(
                            r.getLong("id"),
                            r.getString("kind"),
                            r.getString("actor_handle"),
                            r.getString("target_guid"),
                            r.getBoolean("unread"),
                            r.getOffsetDateTime("created_at").toInstant())));
                    return views;
                });
    }
}
