package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Checks, inside a token transaction, that the person's consent still stands and their account is usable. */
final class Grants {

    private Grants() {}

    static Uni<Void> requireLive(SqlConnection conn, long grantId) {
        return conn.preparedQuery("SELECT 1 FROM oidc_grants g JOIN accounts a ON a.id = g.account_id"
                        + " WHERE g.id = $1 AND g.revoked_at IS NULL AND a.state <> 'CLOSED' FOR SHARE OF g")
                .execute(Tuple.of(grantId))
                .invoke(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw CodeGrant.invalidGrant("The person withdrew this authorization");
                    }
                })
                .replaceWithVoid();
    }
}
