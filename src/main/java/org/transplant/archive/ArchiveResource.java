package org.transplant.archive;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.PathPart;
import org.transplant.migration.export.ByteRange;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ClientAddress;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * {@code /api/v1/archives}: the signed-in person asks for an archive of their account, follows its writing, and
 * downloads it (one byte range at a time if they like, so a broken download resumes), or removes it. Asking needs
 * the account's password again: the archive holds the account's private key, so a session alone (left open on a
 * shared machine, say) must not be enough to take it away. Only the account's own archives are seen; any other id
 * is a 404.
 */
@Path("/api/v1/archives")
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {

    private final ArchiveRequests requests;
    private final Archives archives;
    private final ArchiveMaker maker;
    private final PodUrls urls;
    private final SecurityIdentity identity;
    private final RoutingContext context;

    public ArchiveResource(
            ArchiveRequests requests,
            Archives archives,
            ArchiveMaker maker,
            PodUrls urls,
            SecurityIdentity identity,
            RoutingContext context) {
        this.context = context;
        this.requests = requests;
        this.archives = archives;
        this.maker = maker;
        this.urls = urls;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> ask(ArchiveRequests.Request request) {
        SignedIn me = SignedIn.of(identity);
        return requests.ask(me, request, ClientAddress.of(context.request()))
                .map(job -> Response.accepted(ArchiveStatus.of(job, urls))
                        .location(URI.create(urls.url("/api/v1/archives/" + job.id())))
                        .build());
    }

    /** Removes an archive (asked for by mistake, or by someone else with the person's session) and its file. */
    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return maker.remove(SignedIn.of(identity).accountId(), id)
                .map(job -> Response.noContent().build());
    }

    @GET
    public Uni<List<ArchiveStatus>> list() {
        return archives.ofAccount(SignedIn.of(identity).accountId())
                .map(jobs ->
                        jobs.stream().map(job -> ArchiveStatus.of(job, urls)).toList());
    }

    @GET
    @Path("{id}")
    public Uni<ArchiveStatus> status(@PathParam("id") String id) {
        return archives.own(SignedIn.of(identity).accountId(), id).map(job -> ArchiveStatus.of(job, urls));
    }

    @GET
    @Path("{id}/file")
    @Produces({"application/x-tar", MediaType.APPLICATION_JSON})
    public Uni<Response> file(
            @PathParam("id") String id, @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return archives.own(SignedIn.of(identity).accountId(), id).map(job -> download(job, range, ifRange));
    }

    private Response download(ArchiveJob job, String range, String ifRange) {
        if (job.state() == ArchiveJob.State.EXPIRED) {
            throw new ProblemException(Problem.of(
                    410, "archive-expired", "Archive removed", "This archive was removed after its time; ask again"));
        }
        if (job.state() != ArchiveJob.State.READY) {
            throw ProblemException.conflict(
                    "archive-not-ready", "This archive is not written (it is " + job.step() + ")");
        }
        java.nio.file.Path file = maker.fileOf(job);
        long size = job.bytes();
        String etag = "\"" + job.sha256() + "\"";
        ByteRange slice = ifRange == null || ifRange.equals(etag) ? ByteRange.parse(range, size) : null;
        Response.ResponseBuilder answer;
        if (slice == null) {
            answer = Response.ok(new PathPart(file, 0, size));
        } else if (!slice.satisfiable()) {
            return Response.status(416)
                    .header("Content-Range", slice.contentRange(size))
                    .header("Accept-Ranges", "bytes")
                    .build();
        } else {
            answer = Response.status(206)
                    .entity(new PathPart(file, slice.first(), slice.length()))
                    .header("Content-Range", slice.contentRange(size));
        }
        return answer.type("application/x-tar")
                .header("ETag", etag)
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", "private, no-store")
                .header("Content-Disposition", "attachment; filename=\"" + ArchiveRequests.fileName(job) + "\"")
                .build();
    }
}
