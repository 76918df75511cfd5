package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /federation/v1/moves/{key}}: how the delivery of one move notice stands, pod by pod. The key is a
 * capability the old pod hands the new pod in its answer to {@code move} (the new pod's tokens are revoked by
 * then); it names which pods were told and nothing else.
 */
@Path(NoticeStatusResource.PATH + "{key}")
public class NoticeStatusResource {

    static final String PATH = "/federation/v1/moves/";

    private final NoticeStatuses statuses;

    public NoticeStatusResource(NoticeStatuses statuses) {
        this.statuses = statuses;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JsonObject> status(@PathParam("key") String key) {
        return statuses.status(key);
    }
}
