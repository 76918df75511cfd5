package org.transplant.archive;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.export.ExportSize;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.Csrf;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ClientAddress;
import org.transplant.web.ProblemException;

/**
 * The archive's pages. {@code /account/archive}, "Download my account": the size of each photo choice, the form that
 * asks for an archive, and the person's archives with their state, download and removal. {@code /import-archive},
 * "Import an archive": the form whose script uploads the archive in parts and starts the import
 * ({@code /import-archive.js}).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ArchivePages {

    private static final String PAGE = "/account/archive";

    private final Template archivePage;
    private final Template importPage;
    private final ArchiveRequests requests;
    private final Archives archives;
    private final ArchiveMaker maker;
    private final ExportSize sizes;
    private final PodUrls urls;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final TransplantConfig config;

    public ArchivePages(
            @Location("archive.html") Template archivePage,
            @Location("import-archive.html") Template importPage,
            ArchiveRequests requests,
            Archives archives,
            ArchiveMaker maker,
            ExportSize sizes,
            PodUrls urls,
            SecurityIdentity identity,
            RoutingContext context,
            TransplantConfig config) {
        this.archivePage = archivePage;
        this.importPage = importPage;
        this.requests = requests;
        this.archives = archives;
        this.maker = maker;
        this.sizes = sizes;
        this.urls = urls;
        this.identity = identity;
        this.context = context;
        this.config = config;
    }

    @GET
    @Path("account/archive")
    public Uni<Response> show() {
        SignedIn me = SignedIn.orNull(identity);
        if (me == null) {
            return Uni.createFrom().item(toLogin());
        }
        return page(me, null);
    }

    @POST
    @Path("account/archive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> ask(
            @FormParam(Csrf.FIELD) String csrf,
            @FormParam("password") String password,
            @FormParam("passwordAgain") String passwordAgain,
            @FormParam("photos") String photos,
            @FormParam("accountPassword") String accountPassword) {
        Csrf.verify(context, csrf);
        SignedIn me = SignedIn.of(identity);
        if (password == null || !password.equals(passwordAgain)) {
            return page(me, "The two archive passwords differ; type the same one twice.");
        }
        return requests.ask(
                        me,
                        new ArchiveRequests.Request(password, photos, accountPassword),
                        ClientAddress.of(context.request()))
                .map(job -> Response.seeOther(URI.create(PAGE)).build())
                .onFailure(ProblemException.class)
                .recoverWithUni(e -> page(me, ((ProblemException) e).problem().detail()));
    }

    @POST
    @Path("account/archive/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@PathParam("id") String id, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        return maker.remove(SignedIn.of(identity).accountId(), id)
                .map(job -> Response.seeOther(URI.create(PAGE)).build());
    }

    @GET
    @Path("import-archive")
    public Response importForm() {
        return Response.ok(importPage
                        .data("minPassword", config.accounts().minPasswordLength())
                        .data("maxBytes", config.archives().maxUploadBytes())
                        .render())
                .type(MediaType.TEXT_HTML_TYPE)
                .build();
    }

    private Uni<Response> page(SignedIn me, String error) {
        return sizes.of(me.accountId())
                .chain(size -> archives.ofAccount(me.accountId())
                        .map(list -> Response.ok(archivePage
                                        .data("size", size)
                                        .data("archives", list)
                                        .data("error", error)
                                        .data("minPassword", ArchiveRequests.MIN_PASSWORD)
                                        .data("linkedPhotos", config.archives().linkedPhotos())
                                        .render())
                                .type(MediaType.TEXT_HTML_TYPE)
                                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                .status(error == null ? 200 : 400)
                                .build()));
    }

    private Response toLogin() {
        return Response.seeOther(URI.create(urls.url("/login?next=" + PAGE))).build();
    }
}
