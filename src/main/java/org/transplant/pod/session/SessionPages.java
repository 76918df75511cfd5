package org.transplant.pod.session;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.SignUp;
import org.transplant.web.ClientAddress;
import org.transplant.web.ClientLimits;
import org.transplant.web.ProblemException;
import org.transplant.web.SecureCookies;

/** The sign-up, log-in and log-out pages. Later flows (consent, import) send people to {@code /login?next=...}. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SessionPages {

    private final Template login;
    private final Template signup;
    private final SessionService sessions;
    private final AccountService accounts;
    private final RoutingContext context;
    private final TransplantConfig config;
    private final SessionCookies sessionCookies;
    private final ClientLimits limits;

    public SessionPages(
            Template login,
            Template signup,
            SessionService sessions,
            AccountService accounts,
            RoutingContext context,
            TransplantConfig config,
            SessionCookies sessionCookies,
            ClientLimits limits) {
        this.sessionCookies = sessionCookies;
        this.limits = limits;
        this.login = login;
        this.signup = signup;
        this.sessions = sessions;
        this.accounts = accounts;
        this.context = context;
        this.config = config;
    }

    @GET
    @Path("login")
    public TemplateInstance loginPage(@QueryParam("next") String next) {
        return login.data("next", safeNext(next)).data("error", null).data("username", "");
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> logIn(
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("next") String next,
            @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        String target = safeNext(next);
        return sessions.signIn(username, password, ClientAddress.of(context.request()))
                .map(token -> signedInRedirect(token, target))
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> Response.status(
                                ((ProblemException) e).problem().status())
                        .type(MediaType.TEXT_HTML_TYPE)
                        .entity(login.data("next", target)
                                .data("error", ((ProblemException) e).problem().detail())
                                .data("username", username == null ? "" : username)
                                .render())
                        .build());
    }

    @GET
    @Path("signup")
    public TemplateInstance signUpPage() {
        return signup.data("error", null)
                .data("username", "")
                .data("email", "")
                .data("minPassword", config.accounts().minPasswordLength());
    }

    @POST
    @Path("signup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signUp(
            @FormParam("username") String username,
            @FormParam("email") String email,
            @FormParam("password") String password,
            @FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        // Thrown here, not in the chain below: the mapper answers it (page or problem) with Retry-After.
        limits.signUp(context.request());
        return accounts.signUp(new SignUp(username, password, email))
                .chain(account -> sessions.signIn(account.username, password, ClientAddress.of(context.request())))
                .map(token -> signedInRedirect(token, "/"))
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> Response.status(
                                ((ProblemException) e).problem().status())
                        .type(MediaType.TEXT_HTML_TYPE)
                        .entity(signup.data(
                                        "error",
                                        ((ProblemException) e).problem().detail())
                                .data("username", username == null ? "" : username)
                                .data("email", email == null ? "" : email)
                                .data("minPassword", config.accounts().minPasswordLength())
                                .render())
                        .build());
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> logOut(@FormParam(Csrf.FIELD) String csrf) {
        Csrf.verify(context, csrf);
        Cookie cookie = context.request().getCookie(SessionAuthenticationMechanism.COOKIE);
        Uni<Void> end = cookie == null ? Uni.createFrom().voidItem() : sessions.signOut(cookie.getValue());
        return end.replaceWith(Response.seeOther(URI.create("/"))
                .cookie(new NewCookie.Builder(SessionAuthenticationMechanism.COOKIE)
                        .value("")
                        .path("/")
                        .maxAge(0)
                        .httpOnly(true)
                        .secure(SecureCookies.secure(context.request()))
                        .build())
                .build());
    }

    private Response signedInRedirect(String token, String target) {
        sessionCookies.set(context, token);
        return Response.seeOther(URI.create(target)).build();
    }

    /** Only a path on this pod: an open redirect after log-in would help phishing. */
    static String safeNext(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.contains("\\")
                || next.contains("\r")
                || next.contains("\n")) {
            return "/";
        }
        return next;
    }
}
