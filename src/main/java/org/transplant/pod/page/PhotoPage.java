package org.transplant.pod.page;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.PodUrls;
import org.transplant.pod.photo.PhotoPolicy;
import org.transplant.pod.photo.PhotoService;
import org.transplant.web.ProblemException;

/** {@code /photos/{guid}}: the image itself, as diaspora* photo links are; the bytes stream from disk. */
@Path("/photos/{guid}")
public class PhotoPage {

    private final PhotoService photos;
    private final PodUrls urls;
    private final SecurityIdentity identity;

    public PhotoPage(PhotoService photos, PodUrls urls, SecurityIdentity identity) {
        this.photos = photos;
        this.urls = urls;
        this.identity = identity;
    }

    @GET
    public Uni<Response> show(@PathParam("guid") String guid, @HeaderParam("If-None-Match") String ifNoneMatch) {
        Looker looker = Looker.of(identity, urls);
        return photos.visibleFile(guid, looker.accountId(), looker.handle())
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The photo " + guid))
                .map(file -> {
                    if (file.path() == null) {
                        // Kept on the pod it was imported from, by the person's choice: the bytes are there.
                        return Response.status(Response.Status.FOUND)
                                .location(URI.create(file.remoteUrl()))
                                .build();
                    }
                    String etag = "\"" + file.sha256() + "\"";
                    CacheControl cache = new CacheControl();
                    cache.setPrivate(true);
                    cache.setMaxAge(3600);
                    if (etag.equals(ifNoneMatch)) {
                        return Response.notModified()
                                .header("ETag", etag)
                                .cacheControl(cache)
                                .header("Content-Security-Policy", PhotoPolicy.CONTENT_SECURITY_POLICY)
                                .build();
                    }
                    // Content-Length is the file's own length (the server sends the file), never a stored claim.
                    return Response.ok(file.path().toFile(), file.contentType())
                            .header("ETag", etag)
                            .header("Content-Security-Policy", PhotoPolicy.CONTENT_SECURITY_POLICY)
                            .cacheControl(cache)
                            .build();
                });
    }
}
