package org.transplant.pod.conversation;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.Cursor;
import org.transplant.pod.PodUrls;
import org.transplant.pod.conversation.ConversationViews.ConversationPage;
import org.transplant.pod.conversation.ConversationViews.ConversationView;
import org.transplant.pod.conversation.ConversationViews.NewConversation;
import org.transplant.pod.conversation.ConversationViews.NewMessage;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** {@code /api/v1/conversations}: the signed-in person's private conversations. */
@Path("/api/v1/conversations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConversationResource {

    private final ConversationService conversations;
    private final ConversationQueries queries;
    private final PodUrls urls;
    private final SecurityIdentity identity;

    public ConversationResource(
            ConversationService conversations, ConversationQueries queries, PodUrls urls, SecurityIdentity identity) {
        this.conversations = conversations;
        this.queries = queries;
        this.urls = urls;
        this.identity = identity;
    }

    @GET
    public Uni<ConversationPage> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return queries.page(SignedIn.of(identity).accountId(), Cursor.decode(cursor), Cursor.limit(limit, 20, 100));
    }

    @POST
    public Uni<Response> start(NewConversation request) {
        return conversations
                .start(SignedIn.of(identity), request)
                .chain(this::find)
                .map(view -> Response.created(URI.create(urls.url("/api/v1/conversations/" + view.guid())))
                        .entity(view)
                        .build());
    }

    @GET
    @Path("/{guid}")
    public Uni<ConversationView> get(@PathParam("guid") String guid) {
        return find(guid);
    }

    @POST
    @Path("/{guid}/messages")
    public Uni<Response> reply(@PathParam("guid") String guid, NewMessage request) {
        return conversations
                .reply(SignedIn.of(identity), guid, request)
                .map(view ->
                        Response.status(Response.Status.CREATED).entity(view).build());
    }

    private Uni<ConversationView> find(String guid) {
        return queries.find(guid, SignedIn.of(identity).accountId())
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The conversation " + guid));
    }
}
