package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /migration/v1/posts/{guid}/comments} and {@code …/likes}: every one of them, page by page. */
@Path("/migration/v1/posts/{guid}")
public class PostInteractionsResource {

    private final Exports exports;
    private final PostInteractions interactions;
    private final PageResponses responses;
    private final SecurityIdentity identity;

    public PostInteractionsResource(
            Exports exports, PostInteractions interactions, PageResponses responses, SecurityIdentity identity) {
        this.exports = exports;
        this.interactions = interactions;
        this.responses = responses;
        this.identity = identity;
    }

    @GET
    @Path("{kind: comments|likes}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> page(
            @PathParam("guid") String guid,
            @PathParam("kind") String kind,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("snapshot") String snapshot,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        ExportScope scope = ExportScope.of(identity);
        String name = "posts/" + guid + "/" + kind;
        ExportQuery query = ExportQuery.parse(name, limit, cursor, null, null, snapshot, null);
        return interactions.ownPost(scope, guid).chain(id -> {
            CollectionExporter<?> exporter =
                    "comments".equals(kind) ? interactions.comments(id, guid) : interactions.likes(id, guid);
            return exports.page(exporter, scope, query)
                    .map(page -> responses.page(page, "/migration/v1/" + name, query, ifNoneMatch));
        });
    }
}
