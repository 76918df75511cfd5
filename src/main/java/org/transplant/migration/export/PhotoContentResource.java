package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.PathPart;
import org.transplant.migration.export.PhotoContent.StoredPhoto;
import org.transplant.pod.photo.PhotoPolicy;

/**
 * {@code GET /migration/v1/photos/{guid}/content}: a photo's bytes, streamed from disk by the server's sendfile
 * (a {@link PathPart} with offset and length, so a range never passes through the heap). Carries its digest
 * (RFC 9530 {@code Repr-Digest}, legacy {@code Digest}) and ETag, answers {@code If-None-Match} with 304 and one
 * byte range with 206, so an interrupted download resumes where it stopped.
 */
@Path("/migration/v1/photos/{guid}/content")
public class PhotoContentResource {

    private final PhotoContent photos;
    private final SecurityIdentity identity;

    public PhotoContentResource(PhotoContent photos, SecurityIdentity identity) {
        this.photos = photos;
        this.identity = identity;
    }

    static String path(String guid) {
        return "/migration/v1/photos/" + guid + "/content";
    }

    @GET
    public Uni<Response> content(
            @PathParam("guid") String guid,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        ExportScope scope = ExportScope.of(identity);
        return photos.find(scope, guid).map(photo -> respond(photo, range, ifRange, ifNoneMatch));
    }

    private static Response respond(StoredPhoto photo, String range, String ifRange, String ifNoneMatch) {
        if (matches(ifNoneMatch, photo.etag())) {
            return described(Response.notModified(), photo).build();
        }
        // If-Range (RFC 9110 §13.1.5): a range of a changed representation would splice two files; send it whole.
        ByteRange slice = ifRange == null || ifRange.equals(photo.etag()) ? ByteRange.parse(range, photo.size()) : null;
        if (slice == null) {
            return described(Response.ok(new PathPart(photo.path(), 0, photo.size())), photo)
                    .type(photo.contentType())
                    .build();
        }
        if (!slice.satisfiable()) {
            return Response.status(416)
                    .header("Content-Range", slice.contentRange(photo.size()))
                    .header("Accept-Ranges", "bytes")
                    .build();
        }
        return described(Response.status(206).entity(new PathPart(photo.path(), slice.first(), slice.length())), photo)
                .type(photo.contentType())
                .header("Content-Range", slice.contentRange(photo.size()))
                .build();
    }

    private static Response.ResponseBuilder described(Response.ResponseBuilder response, StoredPhoto photo) {
        return response.header("ETag", photo.etag())
                .header("Repr-Digest", photo.reprDigest())
                .header("Digest", photo.legacyDigest())
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", "private, max-age=3600")
                .header("Content-Security-Policy", PhotoPolicy.CONTENT_SECURITY_POLICY);
    }

    /** If-None-Match holds one or more ETags (or *); photos never change under a guid, so weak ones match too. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
