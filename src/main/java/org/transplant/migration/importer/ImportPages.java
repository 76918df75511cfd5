package org.transplant.migration.importer;

import io.quarkus.qute.Location;
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
import org.transplant.config.TransplantConfig;
import org.transplant.pod.session.Csrf;
import org.transplant.pod.session.SessionCookies;
import org.transplant.pod.session.SessionService;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ClientAddress;
import org.transplant.web.ClientLimits;
import org.transplant.web.ProblemException;

/** {@code /import}: the form that starts an import, and {@code /import/{id}}: its live progress. */
@Path("/import")
@Produces(MediaType.TEXT_HTML)
public class ImportPages {

    private final ImportAbort aborts;
    private final ImportReport report;
    private final Template importPage;
    private final Template importProgress;
    private final ImportStart start;
    private final ImportJobs jobs;
    private final SessionService sessions;
    private final SessionCookies cookies;
    private final TransplantConfig config;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final ClientLimits limits;
    private final OldAccountClosing closing;

    public ImportPages(
            @Location("import.html") Template importPage,
            @Location("import-progress.html") Template importProgress,
            ImportStart start,
            ImportJobs jobs,
            SessionService sessions,
            SessionCookies cookies,
            TransplantConfig config,
            SecurityIdentity identity,
            RoutingContext context,
            ImportAbort aborts,
            ClientLimits limits,
            ImportReport report,
            OldAccountClosing closing) {
        this.closing = closing;
        this.limits = limits;
        this.aborts = aborts;
        this.report = report;
        this.importPage = importPage;
        this.importProgress = importProgress;
        this.start = start;
        this.jobs = jobs;
        this.sessions = sessions;
        this.cookies = cookies;
        this.config = config;
        this.identity = identity;
        this.context = context;
    }

    @GET
    public TemplateInstance form() {
        return form(null, "", "", "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> begin(
            @FormParam("handle") String handle,
            @FormParam("username") String username,
            @FormParam("email") String email,
            @FormParam("password") String password,
            @FormParam("photos") String photos,
            @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        // Thrown before the chain: the mapper answers it (page or problem) with Retry-After.
        limits.importStart(context.request());
        SignedIn me = SignedIn.orNull(identity);
        if (me != null) {
            return Uni.createFrom()
                    .deferred(() -> start.startInto(me.accountId(), me.username(), handle, photos))
                    .map(started -> Response.seeOther(URI.create(ImportStart.connectPath(started.jobId())))
                            .build())
                    .onFailure(ProblemException.class)
                    .recoverWithItem(e -> Response.status(
                                    ((ProblemException) e).problem().status())
                            .type(MediaType.TEXT_HTML_TYPE)
                            .entity(form(((ProblemException) e).problem().detail(), handle, "", "")
                                    .render())
                            .build());
        }
        return Uni.createFrom()
                .deferred(() -> start.start(new ImportStart.Request(handle, username, password, email, photos)))
                .chain(started -> sessions.signIn(
                                started.username(), started.password(), ClientAddress.of(context.request()))
                        .invoke(token -> cookies.set(context, token))
                        .replaceWith(Response.seeOther(URI.create(ImportStart.connectPath(started.jobId())))
                                .build()))
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> Response.status(
                                ((ProblemException) e).problem().status())
                        .type(MediaType.TEXT_HTML_TYPE)
                        .entity(form(((ProblemException) e).problem().detail(), handle, username, email)
                                .render())
                        .build());
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> progress(@PathParam("id") String id) {
        return jobs.own(SignedIn.of(identity).accountId(), id)
                .chain(job -> report.summary(job.id()).map(leftOut -> {
                    ImportStatus status = ImportStatus.of(job, leftOut);
                    return importProgress
                            .data("job", status)
                            .data("status", status.status())
                            .data("rows", status.collections());
                }));
    }

    /** The person's choice for an archive's old account that changed after the archive (close it, or keep it). */
    @POST
    @Path("{id}/old-account")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> oldAccount(
            @PathParam("id") String id, @FormParam("close") boolean close, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        return closing.choose(SignedIn.of(identity).accountId(), id, close)
                .replaceWith(Response.seeOther(URI.create("/import/" + id)).build());
    }

    /** Brings the newer changes of an archive's old account through an online move: on to the old pod's consent. */
    @POST
    @Path("{id}/newer-changes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> newerChanges(@PathParam("id") String id, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        SignedIn me = SignedIn.of(identity);
        return start.bringNewerChanges(me.accountId(), me.username(), id)
                .map(started -> Response.seeOther(URI.create(ImportStart.connectPath(started.jobId())))
                        .build());
    }

    @POST
    @Path("{id}/abort")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> abort(@PathParam("id") String id, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        return aborts.abort(SignedIn.of(identity).accountId(), id)
                .replaceWith(Response.seeOther(URI.create("/import/" + id)).build());
    }

    private TemplateInstance form(String error, String handle, String username, String email) {
        return importPage
                .data("error", error)
                .data("handle", handle == null ? "" : handle)
                .data("username", username == null ? "" : username)
                .data("email", email == null ? "" : email)
                .data("minPassword", config.accounts().minPasswordLength())
                .data("signedIn", SignedIn.orNull(identity) != null);
    }
}
