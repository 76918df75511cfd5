package org.transplant.pod.photo;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.session.SignedIn;

/**
 * {@code POST /api/v1/photos}: the image bytes as the body ({@code Content-Type: image/png}, {@code image/jpeg} or
 * {@code image/gif}). Attach the returned guid to a post with {@code photos: [guid]}.
 */
@Path("/api/v1/photos")
@Authenticated
public class PhotoResource {

    private final PhotoService photos;
    private final SecurityIdentity identity;

    public PhotoResource(PhotoService photos, SecurityIdentity identity) {
        this.photos = photos;
        this.identity = identity;
    }

    @POST
    @Consumes("*/*")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> upload(byte[] body) {
        return photos.upload(SignedIn.of(identity), body)
                .map(view ->
                        Response.created(URI.create(view.url())).entity(view).build());
    }
}
