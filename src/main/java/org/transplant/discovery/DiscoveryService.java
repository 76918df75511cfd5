package org.transplant.discovery;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** What discovery publishes about local people and the pod, read straight from the database. */
@ApplicationScoped
public class DiscoveryService {

    /**
     * The public face of a local account; {@code movedFrom} is the identity it is being or was moved here from (from
     * the moment this pod asks the old pod to finish the move, so that the move notices find it confirmed).
     */
    @TemplateData
    public record Person(
            String username,
            String guid,
            String publicKeyPem,
            String state,
            String movedTo,
            String displayName,
            String movedFrom) {}

    /** Counts for NodeInfo's usage block. */
    public record Usage(long users, long activeHalfyear, long activeMonth, long localPosts, long localComments) {}

    private final Pool pool;
    private final MoveOrigins origins;

    public DiscoveryService(Pool pool, MoveOrigins origins) {
        this.pool = pool;
        this.origins = origins;
    }

    public Uni<Person> person(String username) {
        return pool.preparedQuery("SELECT a.id, a.username, a.guid, a.public_key_pem, a.state, a.moved_to,"
                        + " trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS display_name"
                        + " FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id"
                        // A moved account deleted afterwards still names its new identity (and the key that signed the
                        // move).
                        + " WHERE a.username = $1 AND (a.state <> 'CLOSED' OR a.moved_to IS NOT NULL)")
                .execute(Tuple.of(username))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    return origins.movedFrom(row.getLong("id")).map(movedFrom -> toPerson(row, movedFrom));
                });
    }

    public Uni<Person> personByGuid(String guid) {
        return pool.preparedQuery("SELECT username FROM accounts WHERE guid = $1")
                .execute(Tuple.of(guid))
                .chain(rows -> rows.iterator().hasNext()
                        ? person(rows.iterator().next().getString(0))
                        : Uni.createFrom().nullItem());
    }

    public Uni<Usage> usage() {
        return pool.query("SELECT (SELECT count(*) FROM accounts WHERE state = 'ACTIVE'),"
                        + " (SELECT count(DISTINCT account_id) FROM sessions WHERE created_at > now() - interval '180 days'),"
                        + " (SELECT count(DISTINCT account_id) FROM sessions WHERE created_at > now() - interval '30 days'),"
                        + " (SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.state = 'ACTIVE'),"
                        + " (SELECT count(*) FROM comments)")
                .execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Usage(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
                });
    }

    private static Person toPerson(Row r, String movedFrom) {
        String name = r.getString("display_name");
        return new Person(
                r.getString("username"),
                r.getString("guid"),
                r.getString("public_key_pem"),
                r.getString("state"),
                r.getString("moved_to"),
                name == null || name.isBlank() ? null : name,
                movedFrom);
    }
}
