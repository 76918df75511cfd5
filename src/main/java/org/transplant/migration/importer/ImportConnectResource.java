package org.transplant.migration.importer;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.OidcSession;
import io.quarkus.oidc.RefreshToken;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.session.SessionAuthenticationMechanism;
import org.transplant.pod.session.SessionService;
import org.transplant.web.ProblemException;

/**
 * {@code /import/connect/{job}}: quarkus-oidc has sent the person to their old pod's consent screen and back, and
 * exchanged the code; this keeps the old pod's tokens in the job (sealed), ends the code flow's own session (the
 * job holds what it needs) and shows the progress page. Only the person who started the job (this pod's session
 * cookie) can connect it, so nobody can hand their victim's old account to a job of their own.
 */
@Path("/import/connect/{job}")
public class ImportConnectResource {

    private final AccessTokenCredential accessToken;
    private final RefreshToken refreshToken;
    private final OidcSession oidcSession;
    private final SessionService sessions;
    private final ImportJobs jobs;
    private final RoutingContext context;
    private final ImportRunner runner;

    public ImportConnectResource(
            AccessTokenCredential accessToken,
            RefreshToken refreshToken,
            OidcSession oidcSession,
            SessionService sessions,
            ImportJobs jobs,
            RoutingContext context,
            ImportRunner runner) {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.oidcSession = oidcSession;
        this.sessions = sessions;
        this.jobs = jobs;
        this.context = context;
        this.runner = runner;
    }

    @GET
    public Uni<Response> connected(@PathParam("job") String jobId) {
        Cookie cookie = context.request().getCookie(SessionAuthenticationMechanism.COOKIE);
        Uni<Long> signedIn = cookie == null
                ? Uni.createFrom().nullItem()
                : sessions.lookup(cookie.getValue())
                        .map(s -> s == null ? null : s.signedIn().accountId());
        return signedIn.chain(accountId -> {
                    if (accountId == null) {
                        throw ProblemException.forbidden(
                                "not-your-import",
                                "Sign in on this pod as the account this import fills, then connect it");
                    }
                    return jobs.connect(jobId, accountId, accessToken.getToken(), refreshToken.getToken());
                })
                .chain(connected -> {
                    if (!connected) {
                        throw ProblemException.conflict(
                                "import-not-waiting",
                                "This import is not yours or is not waiting for a connection to the old pod");
                    }
                    return oidcSession.logout();
                })
                .invoke(runner::wake)
                .replaceWith(
                        () -> Response.seeOther(URI.create("/import/" + jobId)).build());
    }
}
