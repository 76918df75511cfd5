package org.transplant.pod.page;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.PodUrls;
import org.transplant.pod.post.PostQueries;
import org.transplant.pod.post.PostService;
import org.transplant.pod.post.PostViews.NewComment;
import org.transplant.pod.session.Csrf;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** {@code /posts/{guid}}: one post with its photos, comments and likes; signed-in viewers comment and like here. */
@Path("/posts/{guid}")
public class PostPage {

    private final Template post;
    private final PostQueries queries;
    private final PostService posts;
    private final PodUrls urls;
    private final SecurityIdentity identity;
    private final RoutingContext context;

    public PostPage(
            Template post,
            PostQueries queries,
            PostService posts,
            PodUrls urls,
            SecurityIdentity identity,
            RoutingContext context) {
        this.post = post;
        this.queries = queries;
        this.posts = posts;
        this.urls = urls;
        this.identity = identity;
        this.context = context;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> show(@PathParam("guid") String guid) {
        Looker looker = Looker.of(identity, urls);
        return queries.find(guid, looker.accountId(), looker.handle())
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The post " + guid))
                .chain(view -> queries.visiblePostId(guid, looker.accountId(), looker.handle())
                        .chain(id -> queries.comments(id, 500)
                                .map(comments -> post.data("post", view)
                                        .data("comments", comments)
                                        .data("canAct", looker.signedIn() != null))));
    }

    @POST
    @Path("comments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> comment(
            @PathParam("guid") String guid, @FormParam("text") String text, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        return posts.comment(SignedIn.of(identity), guid, new NewComment(text))
                .replaceWith(Response.seeOther(URI.create("/posts/" + guid)).build());
    }

    @POST
    @Path("like")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> like(@PathParam("guid") String guid, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        return posts.like(SignedIn.of(identity), guid)
                .replaceWith(Response.seeOther(URI.create("/posts/" + guid)).build());
    }
}
