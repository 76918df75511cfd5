package org.transplant.pod.post;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.transplant.pod.Cursor;
import org.transplant.pod.PodUrls;
import org.transplant.pod.photo.PhotoService;
import org.transplant.pod.post.PostViews.CommentView;
import org.transplant.pod.post.PostViews.LikeView;
import org.transplant.pod.post.PostViews.NewComment;
import org.transplant.pod.post.PostViews.NewPost;
import org.transplant.pod.post.PostViews.PostPage;
import org.transplant.pod.post.PostViews.PostView;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** {@code /api/v1/posts}: the signed-in person's posts, and comments and likes on any post they may see. */
@Path("/api/v1/posts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PostResource {

    private final PostService posts;
    private final PostQueries queries;
    private final PodUrls urls;
    private final SecurityIdentity identity;
    private final PhotoService photos;
    private final CommentDeletion commentDeletion;

    public PostResource(
            PostService posts,
            PostQueries queries,
            PodUrls urls,
            SecurityIdentity identity,
            PhotoService photos,
            CommentDeletion commentDeletion) {
        this.photos = photos;
        this.commentDeletion = commentDeletion;
        this.posts = posts;
        this.queries = queries;
        this.urls = urls;
        this.identity = identity;
    }

    @GET
    public Uni<PostPage> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        SignedIn me = SignedIn.of(identity);
        return queries.byAuthor(
                me.accountId(),
                me.accountId(),
                urls.handleOf(me.username()),
                Cursor.decode(cursor),
                Cursor.limit(limit, 20, 100));
    }

    @POST
    public Uni<Response> create(NewPost request) {
        SignedIn me = SignedIn.of(identity);
        // One request, one outcome: a refused post takes back the unposted photos it named.
        return Uni.createFrom()
                .deferred(() -> posts.create(me, request))
                .onFailure()
                .call(() -> photos.discardUnposted(me, request == null ? null : request.photos()))
                .chain(guid -> find(guid))
                .map(view ->
                        Response.created(URI.create(view.url())).entity(view).build());
    }

    @GET
    @Path("/{guid}")
    public Uni<PostView> get(@PathParam("guid") String guid) {
        return find(guid);
    }

    @DELETE
    @Path("/{guid}")
    public Uni<Response> delete(@PathParam("guid") String guid) {
        return posts.delete(SignedIn.of(identity), guid)
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{guid}/comments")
    public Uni<List<CommentView>> comments(@PathParam("guid") String guid) {
        SignedIn me = SignedIn.of(identity);
        return queries.visiblePostId(guid, me.accountId(), urls.handleOf(me.username()))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + guid))
                .chain(id -> queries.comments(id, 1000));
    }

    @POST
    @Path("/{guid}/comments")
    public Uni<Response> comment(@PathParam("guid") String guid, NewComment request) {
        return posts.comment(SignedIn.of(identity), guid, request)
                .map(view ->
                        Response.status(Response.Status.CREATED).entity(view).build());
    }

    /** By the comment's author or the post's owner. */
    @DELETE
    @Path("/{guid}/comments/{comment}")
    public Uni<Response> deleteComment(@PathParam("guid") String guid, @PathParam("comment") String comment) {
        return commentDeletion
                .delete(SignedIn.of(identity), guid, comment)
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{guid}/likes")
    public Uni<List<LikeView>> likes(@PathParam("guid") String guid) {
        SignedIn me = SignedIn.of(identity);
        return queries.visiblePostId(guid, me.accountId(), urls.handleOf(me.username()))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + guid))
                .chain(id -> queries.likes(id, 1000));
    }

    @POST
    @Path("/{guid}/likes")
    public Uni<Response> like(@PathParam("guid") String guid) {
        return posts.like(SignedIn.of(identity), guid)
                .map(view ->
                        Response.status(Response.Status.CREATED).entity(view).build());
    }

    @DELETE
    @Path("/{guid}/likes")
    public Uni<Response> unlike(@PathParam("guid") String guid) {
        return posts.unlike(SignedIn.of(identity), guid)
                .replaceWith(Response.noContent().build());
    }

    private Uni<PostView> find(String guid) {
        SignedIn me = SignedIn.of(identity);
        return queries.find(guid, me.accountId(), urls.handleOf(me.username()))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + guid));
    }
}
