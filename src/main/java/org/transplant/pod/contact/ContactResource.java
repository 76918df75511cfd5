package org.transplant.pod.contact;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.transplant.pod.Cursor;
import org.transplant.pod.Handle;
import org.transplant.pod.contact.ContactViews.AspectsRequest;
import org.transplant.pod.contact.ContactViews.ContactPage;
import org.transplant.pod.contact.ContactViews.ContactView;
import org.transplant.pod.contact.ContactViews.FollowRequest;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** {@code /api/v1/contacts}: the people the signed-in person shares with, is shared with by, or blocks. */
@Path("/api/v1/contacts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ContactResource {

    private final ContactService contacts;
    private final ContactBlocks blocks;
    private final ContactQueries queries;
    private final SecurityIdentity identity;

    public ContactResource(
            ContactService contacts, ContactBlocks blocks, ContactQueries queries, SecurityIdentity identity) {
        this.contacts = contacts;
        this.blocks = blocks;
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    public Uni<ContactPage> list(
            @QueryParam("filter") String filter,
            @QueryParam("after") String after,
            @QueryParam("limit") Integer limit) {
        return queries.page(SignedIn.of(identity).accountId(), filter, after, Cursor.limit(limit, 50, 200));
    }

    @POST
    public Uni<Response> follow(FollowRequest request) {
        return contacts.follow(SignedIn.of(identity), request)
                .chain(followed -> find(followed.handle())
                        .map(view -> Response.status(followed.created() ? 201 : 200)
                                .entity(view)
                                .build()));
    }

    @GET
    @Path("/{handle}")
    public Uni<ContactView> get(@PathParam("handle") String handle) {
        return find(handle);
    }

    @DELETE
    @Path("/{handle}")
    public Uni<Response> unfollow(@PathParam("handle") String handle) {
        return contacts.unfollow(SignedIn.of(identity), handle)
                .replaceWith(Response.noContent().build());
    }

    @PUT
    @Path("/{handle}/aspects")
    public Uni<ContactView> setAspects(@PathParam("handle") String handle, AspectsRequest request) {
        return contacts.setAspects(SignedIn.of(identity), handle, request).chain(this::find);
    }

    @POST
    @Path("/{handle}/block")
    public Uni<ContactView> block(@PathParam("handle") String handle) {
        return blocks.block(SignedIn.of(identity), handle).chain(this::find);
    }

    @DELETE
    @Path("/{handle}/block")
    public Uni<Response> unblock(@PathParam("handle") String handle) {
        return blocks.unblock(SignedIn.of(identity), handle)
                .replaceWith(Response.noContent().build());
    }

    private Uni<ContactView> find(String handle) {
        Handle parsed = Handle.parse("handle", handle);
        return queries.find(SignedIn.of(identity).accountId(), parsed.toString())
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The contact " + handle));
    }
}
