package org.transplant.pod.contact;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.transplant.pod.contact.ContactViews.AspectView;
import org.transplant.pod.contact.ContactViews.NewAspect;
import org.transplant.pod.session.SignedIn;

/** {@code /api/v1/aspects}: the signed-in person's contact groups. */
@Path("/api/v1/aspects")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AspectResource {

    private final AspectService aspects;
    private final ContactQueries queries;
    private final SecurityIdentity identity;

    public AspectResource(AspectService aspects, ContactQueries queries, SecurityIdentity identity) {
        this.aspects = aspects;
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    public Uni<List<AspectView>> list() {
        return queries.aspects(SignedIn.of(identity).accountId());
    }

    @POST
    public Uni<Response> create(NewAspect request) {
        return aspects.create(SignedIn.of(identity), request)
                .map(view ->
                        Response.status(Response.Status.CREATED).entity(view).build());
    }
}
