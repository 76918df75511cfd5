package org.transplant.pod.page;

import io.quarkus.arc.All;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.transplant.pod.PodUrls;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.photo.PhotoService;
import org.transplant.pod.post.PostQueries;
import org.transplant.pod.post.PostService;
import org.transplant.pod.post.PostViews.NewPost;
import org.transplant.pod.session.Csrf;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** {@code /}: a welcome for visitors; for a signed-in person, the share form and their latest posts. */
@Path("/")
public class HomePage {

    private final Template home;
    private final PostQueries queries;
    private final PostService posts;
    private final PhotoService photos;
    private final WorkerPool workers;
    private final PodUrls urls;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final List<HomeCard> cards;

    public HomePage(
            Template home,
            PostQueries queries,
            PostService posts,
            PhotoService photos,
            WorkerPool workers,
            PodUrls urls,
            SecurityIdentity identity,
            RoutingContext context,
            @All List<HomeCard> cards) {
        // Highest @Priority first: a feature's card keeps its place whatever loads first.
        this.cards = cards;
        this.home = home;
        this.queries = queries;
        this.posts = posts;
        this.photos = photos;
        this.workers = workers;
        this.urls = urls;
        this.identity = identity;
        this.context = context;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> show() {
        return render(null);
    }

    /** The share form: optional photo first, then the post that carries it. */
    @POST
    @Path("posts")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> share(
            @RestForm String text,
            @RestForm String audience,
            @RestForm FileUpload photo,
            @RestForm(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        SignedIn me = SignedIn.of(identity);
        boolean isPublic = audience == null || !audience.startsWith("aspect:");
        List<String> aspects = isPublic ? List.of() : List.of(audience.substring("aspect:".length()));
        Uni<List<String>> photoGuids = photo == null || photo.size() == 0
                ? Uni.createFrom().item(List.of())
                : workers.run(() -> read(photo))
                        .chain(bytes -> photos.upload(me, bytes))
                        .map(v -> List.of(v.guid()));
        return photoGuids
                .chain(guids -> Uni.createFrom()
                        .deferred(() -> posts.create(me, new NewPost(text, isPublic, aspects, guids)))
                        // One form, one outcome: a refused post takes its just-uploaded photo back with it.
                        .onFailure()
                        .call(() -> photos.discardUnposted(me, guids)))
                .map(guid -> Response.seeOther(URI.create("/")).build())
                .onFailure(ProblemException.class)
                .recoverWithUni(e -> render(((ProblemException) e).problem().detail())
                        .map(page -> Response.status(
                                        ((ProblemException) e).problem().status())
                                .type(MediaType.TEXT_HTML_TYPE)
                                .entity(page.render())
                                .build()));
    }

    private Uni<TemplateInstance> render(String error) {
        Looker looker = Looker.of(identity, urls);
        if (looker.signedIn() == null) {
            return Uni.createFrom().item(home.data("signedIn", false).data("cards", List.of()));
        }
        return cardsOf(looker.accountId())
                .chain(shown -> queries.audiences(looker.accountId())
                        .chain(aspects -> queries.byAuthor(
                                        looker.accountId(), looker.accountId(), looker.handle(), null, 20)
                                .map(page -> home.data("signedIn", true)
                                        .data("aspects", aspects)
                                        .data("posts", page.items())
                                        .data("next", page.next())
                                        .data("username", looker.signedIn().username())
                                        .data("error", error)
                                        .data("cards", shown))));
    }

    private Uni<List<RawString>> cardsOf(long accountId) {
        if (cards.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join()
                .all(cards.stream().map(card -> card.render(accountId)).toList())
                .andFailFast()
                .map(rendered -> rendered.stream()
                        .filter(Objects::nonNull)
                        .map(RawString::new)
                        .toList());
    }

    private static byte[] read(FileUpload upload) {
        try {
            return Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
