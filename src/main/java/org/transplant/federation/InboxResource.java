package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.transplant.discovery.WebFingerResource;
import org.transplant.web.ProblemException;

/**
 * {@code POST /federation/v1/inbox}: where other pods deliver move notices (a compact JWS, {@code application/jose}).
 * The 200 answer is the acknowledgement the sender records; a refusal is a problem with the reason.
 */
@Path(InboxResource.PATH)
public class InboxResource {

    public static final String PATH = WebFingerResource.INBOX_PATH;
    public static final String JOSE = "application/jose";

    private final MoveNoticeReceiver receiver;

    public InboxResource(MoveNoticeReceiver receiver) {
        this.receiver = receiver;
    }

    @POST
    @Consumes(JOSE)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JsonObject> receive(String body) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("bad-notice", "The body must be a move notice (a compact JWS)");
        }
        if (body.length() > MoveNoticeJws.MAX_LENGTH) {
            throw ProblemException.tooLarge("A move notice is at most " + MoveNoticeJws.MAX_LENGTH + " characters");
        }
        return receiver.receive(body.trim());
    }
}
