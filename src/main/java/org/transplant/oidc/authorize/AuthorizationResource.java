package org.transplant.oidc.authorize;

import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.authorize.AuthorizationDecision.AskConsent;
import org.transplant.oidc.authorize.AuthorizationDecision.IssueUnder;
import org.transplant.oidc.authorize.AuthorizationDecision.LogIn;
import org.transplant.oidc.authorize.AuthorizationDecision.Refuse;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.Csrf;
import org.transplant.web.Problem;

/**
 * {@code /oauth/authorize}, the authorization endpoint (RFC 6749 §3.1, OpenID Connect Core §3.1.2): GET parses and
 * checks the request and asks the person; the consent form POSTs their answer back. Both run parse, decide, write.
 */
@Path("/oauth/authorize")
public class AuthorizationResource {

    static final String DECISION = "decision";
    static final String ALLOW = "allow";

    private final AuthorizationRequestValidator validator;
    private final ConsentService consents;
    private final ConsentPage consentPage;
    private final ClientRedirect redirects;
    private final Template error;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final PodUrls urls;

    public AuthorizationResource(
            AuthorizationRequestValidator validator,
            ConsentService consents,
            ConsentPage consentPage,
            ClientRedirect redirects,
            Template error,
            SecurityIdentity identity,
            RoutingContext context,
            PodUrls urls) {
        this.urls = urls;
        this.validator = validator;
        this.consents = consents;
        this.consentPage = consentPage;
        this.redirects = redirects;
        this.error = error;
        this.identity = identity;
        this.context = context;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> authorize(@Context UriInfo uri) {
        BrowserSession session = BrowserSession.of(identity);
        return validator
                .validate(AuthorizationRequest.from(uri.getQueryParameters()))
                .chain(request -> consents.coveringGrant(session, request)
                        .map(grant -> AuthorizationDecider.onRequest(request, session, grant, Instant.now()))
                        .chain(decision -> write(request, decision)))
                .onFailure(AuthorizationRefusal.class)
                .recoverWithItem(e -> refused((AuthorizationRefusal) e));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> answer(MultivaluedMap<String, String> form) {
        Csrf.verify(context, form.getFirst(Csrf.FIELD));
        BrowserSession session = BrowserSession.of(identity);
        boolean allowed = ALLOW.equals(form.getFirst(DECISION));
        // Never trust the hidden fields: the answer is checked exactly as the request was.
        return validator
                .validate(AuthorizationRequest.from(form))
                .chain(request ->
                        answer(request, AuthorizationDecider.onAnswer(request, session, Instant.now()), allowed, form))
                .onFailure(AuthorizationRefusal.class)
                .recoverWithItem(e -> refused((AuthorizationRefusal) e));
    }

    private Uni<Response> answer(
            ValidAuthorization request,
            AuthorizationDecision decision,
            boolean allowed,
            MultivaluedMap<String, String> form) {
        if (!(decision instanceof AskConsent ask)) {
            return write(request, decision);
        }
        if (!allowed) {
            return Uni.createFrom()
                    .item(refused(request.refuse(OAuthError.ACCESS_DENIED, "The person did not allow this")));
        }
        return allow(request, ask.session(), form);
    }

    private Uni<Response> allow(
            ValidAuthorization request, BrowserSession session, MultivaluedMap<String, String> form) {
        BackupSpan span;
        try {
            span = request.asksForBackup()
                    ? BackupSpan.parse(form.getFirst("span_from"), form.getFirst("span_until"))
                    : BackupSpan.ALL_TIME;
        } catch (BackupSpan.InvalidSpan e) {
            return Uni.createFrom()
                    .item(page(
                            400,
                            consentPage.render(request, session, e.getMessage()).render()));
        }
        return consents.approve(session, request, span).map(code -> redirect(redirects.withCode(request, code)));
    }

    private Uni<Response> write(ValidAuthorization request, AuthorizationDecision decision) {
        if (decision instanceof LogIn login) {
            // Absolute, on the pod's public URL: behind a proxy the Host header may name the pod's own address.
            return Uni.createFrom()
                    .item(Response.seeOther(URI.create(
                                    urls.url("/login?next=") + AuthorizationRequest.encode(login.resumeAt())))
                            .build());
        }
        if (decision instanceof AskConsent ask) {
            return Uni.createFrom()
                    .item(page(
                            200,
                            consentPage.render(request, ask.session(), null).render()));
        }
        if (decision instanceof IssueUnder issue) {
            return consents.issueUnder(issue.grant(), issue.session(), request)
                    .map(code -> redirect(redirects.withCode(request, code)));
        }
        return Uni.createFrom().item(refused(((Refuse) decision).refusal()));
    }

    private Response refused(AuthorizationRefusal refusal) {
        if (refusal.redirects()) {
            return redirect(redirects.withError(refusal));
        }
        // RFC 6749 §4.1.2.1: the redirect URI cannot be trusted, so the person is told here and not sent on.
        Problem problem = Problem.of(
                400,
                "invalid-authorization-request",
                "This app's request cannot be accepted",
                refusal.description() + ". Nothing was shared; you can close this page.");
        return page(400, error.data("problem", problem).render());
    }

    private static Response redirect(URI target) {
        return Response.seeOther(target)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static Response page(int status, String html) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(html)
                .build();
    }
}
