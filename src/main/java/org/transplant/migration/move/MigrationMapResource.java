package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * {@code /u/{username}/migration}: where a moved account's public posts went, the FEP-1580 way: a paginated
 * {@code OrderedCollection} of {@code Move} items (origin: the old URL here, target: the new one), newest first,
 * with {@code migrationComplete}, as {@link MigrationMap} builds it.
 */
@Path("/u/{username}/migration")
public class MigrationMapResource {

    static final String ACTIVITY_JSON = "application/activity+json";

    private final MigrationMap map;

    public MigrationMapResource(MigrationMap map) {
        this.map = map;
    }

    @GET
    @Produces({ACTIVITY_JSON, "application/json"})
    public Uni<Response> map(@PathParam("username") String username, @QueryParam("page") String page) {
        return map.page(username, page)
                .map(body -> Response.ok(body.encode(), ACTIVITY_JSON).build());
    }
}
