package org.transplant.pod.tag;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.transplant.pod.session.SignedIn;
import org.transplant.pod.tag.TagFollowingViews.NewTagFollowing;
import org.transplant.pod.tag.TagFollowingViews.TagFollowingView;

/** {@code /api/v1/tag-followings}: the hashtags the signed-in person follows. */
@Path("/api/v1/tag-followings")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TagFollowingResource {

    private final TagFollowingService tags;
    private final TagFollowingQueries queries;
    private final SecurityIdentity identity;

    public TagFollowingResource(TagFollowingService tags, TagFollowingQueries queries, SecurityIdentity identity) {
        this.tags = tags;
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    public Uni<List<TagFollowingView>> list() {
        return queries.list(SignedIn.of(identity).accountId());
    }

    @POST
    public Uni<Response> follow(NewTagFollowing request) {
        SignedIn me = SignedIn.of(identity);
        String tag = TagFollowingService.normalise(request == null ? null : request.tag());
        return tags.follow(me, tag)
                .chain(created -> queries.find(me.accountId(), tag)
                        .map(view -> Response.status(created ? 201 : 200)
                                .entity(view)
                                .build()));
    }

    @DELETE
    @Path("/{tag}")
    public Uni<Response> unfollow(@PathParam("tag") String tag) {
        return tags.unfollow(SignedIn.of(identity), tag)
                .replaceWith(Response.noContent().build());
    }
}
