package org.transplant.oidc.client;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.cleanup.StaleRows;

/**
 * Clients that registered (registration is open to anyone) and were never authorized by anybody within the
 * configured time. A client someone authorized once stays, with its grants, until that person revokes it and
 * beyond.
 */
@ApplicationScoped
public class UnusedClients implements StaleRows {

    private final Pool pool;
    private final Duration ttl;

    public UnusedClients(Pool pool, TransplantConfig config) {
        this.pool = pool;
        this.ttl = config.limits().unusedClientTtl();
    }

    @Override
    public String what() {
        return "unused client registrations";
    }

    @Override
    public Uni<Integer> deleteSome(int max) {
        return pool.preparedQuery("DELETE FROM oidc_clients WHERE client_id IN (SELECT c.client_id FROM oidc_clients c"
                        + " WHERE c.created_at < now() - $1 * interval '1 second' AND NOT EXISTS (SELECT 1 FROM oidc_grants g"
                        + " WHERE g.client_id = c.client_id) LIMIT $2)")
                .execute(Tuple.of(ttl.toSeconds(), max))
                .map(rows -> rows.rowCount());
    }
}
