package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.account.Accounts;

/** Checks, inside a token transaction, that the person's consent still stands and their account is usable. */
@ApplicationScoped
class Grants {

    private final Accounts accounts;

    Grants(Accounts accounts) {
        this.accounts = accounts;
    }

    /**
     * Holds the grant (FOR SHARE: a revocation waits for this transaction) and checks it is not revoked and its
     * account is not closed.
     */
    Uni<Void> requireLive(SqlConnection conn, long grantId) {
        return conn.preparedQuery("SELECT account_id FROM oidc_grants WHERE id = $1 AND revoked_at IS NULL FOR SHARE")
                .execute(Tuple.of(grantId))
                .chain(rows -> rows.iterator().hasNext()
                        ? accounts.openUsername(conn, rows.iterator().next().getLong(0))
                        : Uni.createFrom().nullItem())
                .invoke(openUsername -> {
                    if (openUsername == null) {
                        throw CodeGrant.invalidGrant("The person withdrew this authorization");
                    }
                })
                .replaceWithVoid();
    }
}
