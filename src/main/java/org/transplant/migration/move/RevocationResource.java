package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.transplant.migration.api.Revocation;
import org.transplant.web.ClientLimits;
import org.transplant.web.ProblemException;

/**
 * {@code POST /migration/v1/revocation}: a new pod that imported this pod's archive of an account closes that
 * account here. Anyone may call it (the signature by the account's key is the authority), so each call is counted
 * against its client's import starts: it costs an RSA check.
 */
@Path(Revocation.PATH)
public class RevocationResource {

    private final RevocationService revocations;
    private final MoveMail mail;
    private final ClientLimits limits;
    private final RoutingContext context;

    public RevocationResource(
            RevocationService revocations, MoveMail mail, ClientLimits limits, RoutingContext context) {
        this.revocations = revocations;
        this.mail = mail;
        this.limits = limits;
        this.context = context;
    }

    @POST
    @Consumes(Revocation.MEDIA_TYPE)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Revocation.Closed> revoke(String body) {
        limits.importStart(context.request());
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("bad-revocation", "The body must be a revocation (a compact JWS)");
        }
        if (body.length() > Revocation.MAX_LENGTH) {
            throw ProblemException.tooLarge("A revocation is at most " + Revocation.MAX_LENGTH + " characters");
        }
        return revocations
                .revoke(body.trim())
                .call(closing -> closing.now()
                        ? mail.closedByArchive(closing.accountId(), closing.answer())
                        : Uni.createFrom().voidItem())
                .map(RevocationService.Closing::answer);
    }
}
