package org.transplant.oidc.authorize;

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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.authorize.GrantStore.Grant;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.Csrf;
import org.transplant.web.ProblemException;

/**
 * {@code /settings/apps}: the apps a person allowed, what each may do and since when; removing one revokes its
 * grant and every token issued under it (RFC 7009 §2.1 spirit: a revoked grant takes its tokens with it).
 */
@Path("/settings/apps")
public class AuthorizedAppsPage {

    /** One allowed app as the page lists it. */
    public record AuthorizedApp(
            long id, String clientName, List<String> abilities, Instant spanFrom, Instant spanUntil, Instant since) {

        static AuthorizedApp of(Grant grant) {
            List<String> abilities = Arrays.stream(grant.scope().split(" "))
                    .map(scope -> Scopes.DESCRIPTIONS.getOrDefault(scope, scope))
                    .toList();
            return new AuthorizedApp(
                    grant.id(), grant.clientName(), abilities, grant.spanFrom(), grant.spanUntil(), grant.createdAt());
        }

        public boolean limited() {
            return spanFrom != null || spanUntil != null;
        }
    }

    private static final String PATH = "/settings/apps";

    private final Template apps;
    private final GrantStore grants;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final PodUrls urls;

    public AuthorizedAppsPage(
            Template apps, GrantStore grants, SecurityIdentity identity, RoutingContext context, PodUrls urls) {
        this.urls = urls;
        this.apps = apps;
        this.grants = grants;
        this.identity = identity;
        this.context = context;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show() {
        BrowserSession session = BrowserSession.of(identity);
        if (session == null) {
            return Uni.createFrom()
                    .item(Response.seeOther(URI.create(urls.url("/login?next=") + AuthorizationRequest.encode(PATH)))
                            .build());
        }
        return grants.liveGrants(session.accountId())
                .map(live -> Response.ok(apps.data(
                                        "apps",
                                        live.stream().map(AuthorizedApp::of).toList())
                                .render())
                        .type(MediaType.TEXT_HTML_TYPE)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> revoke(@PathParam("id") long id, @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        BrowserSession session = BrowserSession.of(identity);
        if (session == null) {
            throw ProblemException.unauthorized("Sign in first");
        }
        // Someone else's grant is answered like a missing one: ids of other people's grants stay unknowable.
        return grants.revoke(session.accountId(), id).map(revoked -> {
            if (!revoked) {
                throw ProblemException.notFound("The app access " + id);
            }
            return Response.seeOther(URI.create(PATH)).build();
        });
    }
}
