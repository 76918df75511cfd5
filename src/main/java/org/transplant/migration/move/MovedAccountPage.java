package org.transplant.migration.move;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.session.Csrf;
import org.transplant.pod.session.SessionAuthenticationMechanism;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ClientAddress;
import org.transplant.web.SecureCookies;

/** {@code POST /account/delete}: the owner of a moved account deletes what is left of it here (the home page form). */
@Path("/account/delete")
public class MovedAccountPage {

    private final MovedAccountDeletion deletion;
    private final SecurityIdentity identity;
    private final RoutingContext context;

    public MovedAccountPage(MovedAccountDeletion deletion, SecurityIdentity identity, RoutingContext context) {
        this.deletion = deletion;
        this.identity = identity;
        this.context = context;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@FormParam(Csrf.FIELD) String csrf, @FormParam("password") String password) {
        Csrf.verify(context, csrf);
        return deletion.delete(SignedIn.of(identity).accountId(), password, ClientAddress.of(context.request()))
                .replaceWith(() -> Response.seeOther(URI.create("/"))
                        .cookie(new NewCookie.Builder(SessionAuthenticationMechanism.COOKIE)
                                .value("")
                                .path("/")
                                .maxAge(0)
                                .httpOnly(true)
                                .secure(SecureCookies.secure(context.request()))
                                .build())
                        .build());
    }
}
