package org.transplant.archive;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.transplant.pod.PodUrls;
import org.transplant.web.ClientAddress;
import org.transplant.web.ClientLimits;
import org.transplant.web.ProblemException;

/**
 * {@code /api/v1/archive-uploads}: an archive larger than one request, uploaded in parts. {@code POST} with
 * {@code {"bytes": N}} opens an upload; {@code PUT {id}} with {@code Content-Range: bytes a-b/N} and the part as
 * {@code application/octet-stream} adds it at {@code a}, which must be where the upload stands; {@code GET {id}}
 * says where it stands, so an interrupted upload resumes. The id then goes to {@code POST /api/v1/imports}.
 */
@Path(ArchiveUploadResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveUploadResource {

    static final String PATH = "/api/v1/archive-uploads";

    private static final Pattern RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})");

    /** What an upload says of itself. */
    public record Status(String id, long bytes, long received, boolean whole, int maxPartBytes) {
        static Status of(ArchiveUploads.Upload upload) {
            return new Status(
                    upload.id(), upload.bytes(), upload.received(), upload.whole(), ArchiveUploads.MAX_PART_BYTES);
        }
    }

    /** The body opening an upload. */
    public record Opening(Long bytes) {}

    private final ArchiveUploads uploads;
    private final PodUrls urls;
    private final RoutingContext context;
    private final ClientLimits limits;

    public ArchiveUploadResource(ArchiveUploads uploads, PodUrls urls, RoutingContext context, ClientLimits limits) {
        this.uploads = uploads;
        this.urls = urls;
        this.context = context;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> open(Opening opening) {
        limits.importStart(context.request());
        if (opening == null || opening.bytes() == null) {
            throw ProblemException.invalid("bytes", "must be the archive's size in bytes");
        }
        return uploads.create(opening.bytes(), ClientAddress.of(context.request()))
                .map(upload -> Response.created(URI.create(urls.url(PATH + "/" + upload.id())))
                        .entity(Status.of(upload))
                        .build());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Status> part(@PathParam("id") String id, @HeaderParam("Content-Range") String range, byte[] part) {
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m == null || !m.matches()) {
            throw ProblemException.badRequest("bad-part", "A part needs Content-Range: bytes first-last/total");
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        byte[] bytes = part == null ? new byte[0] : part;
        if (last < first || last - first + 1 != bytes.length) {
            throw ProblemException.badRequest("bad-part", "The Content-Range does not match the part's length");
        }
        return uploads.get(id)
                .invoke(upload -> {
                    if (Long.parseLong(m.group(3)) != upload.bytes()) {
                        throw ProblemException.badRequest(
                                "bad-part", "The upload was announced as " + upload.bytes() + " bytes");
                    }
                })
                .chain(() -> uploads.append(id, first, bytes))
                .map(Status::of);
    }

    @GET
    @Path("{id}")
    public Uni<Status> status(@PathParam("id") String id) {
        return uploads.get(id).map(Status::of);
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> remove(@PathParam("id") String id) {
        return uploads.get(id)
                .chain(() -> uploads.remove(id))
                .map(nothing -> Response.noContent().build());
    }
}
