package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.transplant.pod.database.Rows;
import org.transplant.web.ProblemException;

/** How the delivery of one move notice stands, pod by pod, counted by state; found by its status key. */
@ApplicationScoped
public class NoticeStatuses {

    private final Pool pool;

    public NoticeStatuses(Pool pool) {
        this.pool = pool;
    }

    /** The notice's delivery status; a 404 problem when no notice has this key. */
    public Uni<JsonObject> status(String key) {
        return pool.preparedQuery("SELECT n.id::text AS notice, n.old_handle, n.new_handle, d.pod_host, d.state,"
                        + " d.attempts, d.outcome, d.updated_at FROM move_notices n LEFT JOIN move_deliveries d"
                        + " ON d.notice_id = n.id WHERE n.status_key = $1 ORDER BY d.pod_host")
                .execute(Tuple.of(key))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("The move notice");
                    }
                    JsonObject status = new JsonObject()
                            .put("accepted", 0)
                            .put("refused", 0)
                            .put("unreachable", 0)
                            .put("pending", 0);
                    JsonArray pods = new JsonArray();
                    for (Row row : rows) {
                        status.put("notice", row.getString("notice"))
                                .put("oldHandle", row.getString("old_handle"))
                                .put("newHandle", row.getString("new_handle"));
                        if (row.getString("pod_host") == null) {
                            continue;
                        }
                        String state = row.getString("state");
                        String counter = state.toLowerCase(Locale.ROOT);
                        status.put(counter, status.getInteger(counter) + 1);
                        pods.add(new JsonObject()
                                .put("pod", row.getString("pod_host"))
                                .put("state", state)
                                .put("attempts", row.getInteger("attempts"))
                                // A code and this pod's sentence for it (rows from before codes have neither).
                                .put("reason", NoticeOutcomes.known(row.getString("outcome")))
                                .put("outcome", NoticeOutcomes.sentence(row.getString("outcome")))
                                .put(
                                        "updatedAt",
                                        Rows.instant(row, "updated_at").toString()));
                    }
                    return status.put("pods", pods);
                });
    }
}
