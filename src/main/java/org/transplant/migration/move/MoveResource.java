package org.transplant.migration.move;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.transplant.migration.api.MoveRequest;
import org.transplant.migration.api.MoveResult;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;

/** {@code POST /migration/v1/move}: the new pod finishes a move (scope {@code migration:move}). */
@Path("/migration/v1/move")
public class MoveResource {

    private final MoveService moves;
    private final MoveMail mail;
    private final SecurityIdentity identity;

    public MoveResource(MoveService moves, MoveMail mail, SecurityIdentity identity) {
        this.moves = moves;
        this.mail = mail;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<MoveResult> move(MoveRequest request) {
        BearerToken token = BearerToken.require(identity, Scopes.MIGRATION_MOVE);
        MoveRequestRules.check(request);
        long accountId = token.accountId();
        return moves.move(accountId, token.tokenId(), request).call(result -> mail.moved(accountId, result));
    }
}
