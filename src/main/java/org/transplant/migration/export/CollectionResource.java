package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestMulti;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.web.ProblemException;

/**
 * {@code /migration/v1/{collection}}: every collection the same way: pages as JSON by default, the whole collection
 * as NDJSON with {@code Accept: application/x-ndjson}. Each {@link CollectionExporter} bean is one collection.
 */
@Path("/migration/v1/{collection}")
public class CollectionResource {

    private final Exports exports;
    private final Map<String, CollectionExporter<?>> collections;
    private final PageResponses responses;
    private final NdjsonLines lines;
    private final SecurityIdentity identity;

    public CollectionResource(
            Exports exports,
            Instance<CollectionExporter<?>> exporters,
            PageResponses responses,
            NdjsonLines lines,
            SecurityIdentity identity) {
        this.exports = exports;
        this.collections = exporters.stream().collect(Collectors.toMap(CollectionExporter::name, Function.identity()));
        this.responses = responses;
        this.lines = lines;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> page(
            @PathParam("collection") String name,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("snapshot") String snapshot,
            @QueryParam("changedAfter") String changedAfter,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        ExportScope scope = ExportScope.of(identity);
        CollectionExporter<?> collection = collection(name);
        ExportQuery query = ExportQuery.parse(name, limit, cursor, since, until, snapshot, changedAfter);
        return exports.page(collection, scope, query)
                .map(page -> responses.page(page, "/migration/v1/" + name, query, ifNoneMatch));
    }

    @GET
    @Produces(MigrationFormat.NDJSON)
    // A stream's headers leave before any response filter could run, so the version is declared here and the
    // span set on the stream itself.
    @ResponseHeader(name = MigrationFormat.VERSION_HEADER, value = MigrationFormat.VERSION)
    public Multi<Buffer> stream(
            @PathParam("collection") String name,
            @QueryParam("cursor") String cursor,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("snapshot") String snapshot,
            @QueryParam("changedAfter") String changedAfter) {
        ExportScope scope = ExportScope.of(identity);
        CollectionExporter<?> collection = collection(name);
        Multi<Buffer> body = exports.stream(
                        collection, scope, ExportQuery.parse(name, null, cursor, since, until, snapshot, changedAfter))
                .onItem()
                .transformToIterable(lines::write);
        String span = scope.spanHeader();
        return span == null
                ? body
                : RestMulti.fromMultiData(body).header(SpanHeader.NAME, span).build();
    }

    private CollectionExporter<?> collection(String name) {
        CollectionExporter<?> collection = collections.get(name);
        if (collection == null) {
            throw ProblemException.notFound("The collection " + name);
        }
        return collection;
    }
}
