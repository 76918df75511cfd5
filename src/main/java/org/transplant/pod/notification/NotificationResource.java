package org.transplant.pod.notification;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.transplant.pod.Cursor;
import org.transplant.pod.session.SignedIn;

/** {@code /api/v1/notifications}: what others did that concerns the signed-in person. */
@Path("/api/v1/notifications")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    /** The latest notifications, newest first. */
    public record NotificationList(List<NotificationView> items) {}

    /** How many notifications a read call marked. */
    public record Marked(int marked) {}

    private final NotificationQueries queries;
    private final Notifications notifications;
    private final SecurityIdentity identity;

    public NotificationResource(NotificationQueries queries, Notifications notifications, SecurityIdentity identity) {
        this.queries = queries;
        this.notifications = notifications;
        this.identity = identity;
    }

    @GET
    public Uni<NotificationList> list(@QueryParam("limit") Integer limit) {
        return queries.latest(SignedIn.of(identity).accountId(), Cursor.limit(limit, 20, 100))
                .map(NotificationList::new);
    }

    @POST
    @Path("/read")
    public Uni<Marked> markAllRead() {
        return notifications.markAllRead(SignedIn.of(identity).accountId()).map(Marked::new);
    }
}
