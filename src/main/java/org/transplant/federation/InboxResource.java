package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.transplant.discovery.WebFingerResource;
import org.transplant.web.ClientAddress;
import org.transplant.web.ProblemException;
import org.transplant.web.TokenBuckets;

/**
 * {@code POST /federation/v1/inbox}: where other pods deliver move notices (a compact JWS, {@code application/jose}).
 * The 200 answer is the acknowledgement the sender records; a refusal is a problem with the reason.
 */
@Path(InboxResource.PATH)
public class InboxResource {

    public static final String PATH = WebFingerResource.INBOX_PATH;
    public static final String JOSE = "application/jose";

    private final MoveNoticeReceiver receiver;
    private final TokenBuckets senders;
    private final RoutingContext context;

    public InboxResource(MoveNoticeReceiver receiver, InboxLimits limits, RoutingContext context) {
        this.receiver = receiver;
        this.senders = limits.senders();
        this.context = context;
    }

    @POST
    @Consumes(JOSE)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(String body) {
        // Each notice may make this pod ask two other pods: every sender is held to a share.
        Duration wait = senders.acquire(ClientAddress.of(context.request()));
        if (wait != null) {
            return Uni.createFrom()
                    .item(TokenBuckets.tooManyRequests(wait, "Too many notices from this address")
                            .build());
        }
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("bad-notice", "The body must be a move notice (a compact JWS)");
        }
        if (body.length() > MoveNoticeJws.MAX_LENGTH) {
            throw ProblemException.tooLarge("A move notice is at most " + MoveNoticeJws.MAX_LENGTH + " characters");
        }
        return receiver.receive(body.trim())
                .map(acknowledged -> Response.ok(acknowledged).build());
    }
}
