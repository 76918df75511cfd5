package org.transplant.pod.photo;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Which account of this pod holds a photo guid: an import copies no bytes for a guid another account holds. */
@ApplicationScoped
public class PhotoOwners {

    private final Pool pool;

    public PhotoOwners(Pool pool) {
        this.pool = pool;
    }

    /** The account holding each of these guids; guids nobody holds are left out. */
    public Uni<Map<String, Long>> of(Collection<String> guids) {
        if (guids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT guid, account_id FROM photos WHERE guid = ANY($1)")
                .execute(Tuple.of(guids.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Long> owners = new HashMap<>();
                    for (Row row : rows) {
                        owners.put(row.getString("guid"), row.getLong("account_id"));
                    }
                    return owners;
                });
    }
}
