package org.transplant.migration.move;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;

/**
 * {@code POST /migration/v1/abort}: the new pod calls a move off before it finished. Nothing was locked; a hold of the
 * account's writes the move started ends at once, and the authorization ends, with every token the new pod holds.
 */
@Path("/migration/v1/abort")
public class AbortResource {

    private final MoveService moves;
    private final SecurityIdentity identity;

    public AbortResource(MoveService moves, SecurityIdentity identity) {
        this.moves = moves;
        this.identity = identity;
    }

    @POST
    public Uni<Response> abort() {
        BearerToken token = BearerToken.require(identity, Scopes.MIGRATION_MOVE, Scopes.MIGRATION_READ);
        return moves.abort(token.accountId(), token.tokenId())
                .replaceWith(Response.noContent().build());
    }
}
