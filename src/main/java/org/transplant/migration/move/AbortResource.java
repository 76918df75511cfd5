package org.transplant.migration.move;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;

/**
 * {@code POST /migration/v1/abort}: the new pod calls a move off before it finished. Nothing was locked, so nothing
 * is unlocked; the authorization ends, with every token the new pod holds.
 */
@Path("/migration/v1/abort")
public class AbortResource {

    private final Pool pool;
    private final SecurityIdentity identity;

    public AbortResource(Pool pool, SecurityIdentity identity) {
        this.pool = pool;
        this.identity = identity;
    }

    @POST
    public Uni<Response> abort() {
        BearerToken token = BearerToken.require(identity, Scopes.MIGRATION_MOVE, Scopes.MIGRATION_READ);
        return pool.withTransaction(c -> c.preparedQuery("UPDATE oidc_grants g SET revoked_at = now()"
                + " FROM oidc_tokens t WHERE t.id = $1 AND g.id = t.grant_id AND g.revoked_at IS NULL RETURNING g.id")
                .execute(Tuple.of(token.tokenId()))
                .chain(rows -> rows.iterator().hasNext()
                        ? c.preparedQuery("UPDATE oidc_tokens SET revoked_at = now() WHERE grant_id = $1"
                                + " AND revoked_at IS NULL").execute(Tuple.of(rows.iterator().next().getLong(0)))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem()))
                .replaceWith(Response.noContent().build());
    }
}
