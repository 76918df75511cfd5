package org.transplant.migration.importer;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.SessionCookies;
import org.transplant.pod.session.SessionService;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ClientAddress;
import org.transplant.web.ClientLimits;
import org.transplant.web.ProblemException;

/**
 * {@code /api/v1/imports}: the import as JSON, for scripts and tests. Starting one opens the new account and signs
 * it in (the answer sets the session cookie); {@code authorizationUrl} is where the person's browser goes next.
 */
@Path("/api/v1/imports")
public class ImportResource {

    private final ImportAbort aborts;
    private final ImportReport report;
    private final ImportStart start;
    private final ImportJobs jobs;
    private final SessionService sessions;
    private final SessionCookies cookies;
    private final PodUrls urls;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final ClientLimits limits;
    private final OldAccountClosing closing;

    public ImportResource(
            ImportStart start,
            ImportJobs jobs,
            SessionService sessions,
            SessionCookies cookies,
            PodUrls urls,
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
        this.start = start;
        this.jobs = jobs;
        this.sessions = sessions;
        this.cookies = cookies;
        this.urls = urls;
        this.identity = identity;
        this.context = context;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> start(ImportStart.Request request) {
        // A start may open an account and make this pod call another: each address gets a share.
        limits.importStart(context.request());
        if (request == null) {
            throw ProblemException.badRequest("invalid-input", "The body must be a JSON import request");
        }
        SignedIn me = SignedIn.orNull(identity);
        if (me != null) {
            // Signed in: the import fills this account, if it holds nothing yet.
            return start.startInto(me.accountId(), me.username(), request.handle(), request.photos())
                    .chain(started -> jobs.own(started.accountId(), started.jobId()))
                    .map(this::created);
        }
        return start.start(request)
                .chain(started -> sessions.signIn(
                                started.username(), started.password(), ClientAddress.of(context.request()))
                        .invoke(token -> cookies.set(context, token))
                        .chain(() -> jobs.own(started.accountId(), started.jobId())))
                .map(this::created);
    }

    private Response created(ImportJob job) {
        return Response.created(URI.create(urls.url("/api/v1/imports/" + job.id())))
                .entity(Map.of(
                        "id",
                        job.id(),
                        "state",
                        job.state().name(),
                        "authorizationUrl",
                        urls.url(ImportStart.connectPath(job.id())),
                        "progressUrl",
                        urls.url("/import/" + job.id())))
                .build();
    }

    /** Calls the import off before the move; 409 once the move is being finished or has ended. */
    @POST
    @Path("{id}/abort")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ImportStatus> abort(@PathParam("id") String id) {
        return aborts.abort(SignedIn.of(identity).accountId(), id).map(ImportStatus::of);
    }

    /** The person's choice for an archive's old account that changed after the archive: {@code {"close": bool}}. */
    public record OldAccountChoice(Boolean close) {}

    @POST
    @Path("{id}/old-account")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ImportStatus> oldAccount(@PathParam("id") String id, OldAccountChoice choice) {
        if (choice == null || choice.close() == null) {
            throw ProblemException.invalid("close", "is required: true closes the old account, false keeps it");
        }
        long accountId = SignedIn.of(identity).accountId();
        return closing.choose(accountId, id, choice.close())
                .chain(() -> jobs.own(accountId, id))
                .map(ImportStatus::of);
    }

    /**
     * Brings the changes an archive's old account had after the archive through an online move (which then closes
     * it): a new job, answered as a start is (its {@code authorizationUrl} is where the person consents).
     */
    @POST
    @Path("{id}/newer-changes")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> newerChanges(@PathParam("id") String id) {
        SignedIn me = SignedIn.of(identity);
        return start.bringNewerChanges(me.accountId(), me.username(), id)
                .chain(started -> jobs.own(me.accountId(), started.jobId()))
                .map(this::created);
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ImportStatus> status(@PathParam("id") String id) {
        return jobs.own(SignedIn.of(identity).accountId(), id)
                .chain(job -> report.summary(job.id()).map(leftOut -> ImportStatus.of(job, leftOut)));
    }
}
