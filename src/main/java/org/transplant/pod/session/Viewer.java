package org.transplant.pod.session;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** What every page template knows about the person looking at it: {@code inject:viewer}. */
@Named("viewer")
@RequestScoped
public class Viewer {

    private final SecurityIdentity identity;
    private final RoutingContext context;

    public Viewer(SecurityIdentity identity, RoutingContext context) {
        this.identity = identity;
        this.context = context;
    }

    public boolean isSignedIn() {
        return SignedIn.orNull(identity) != null;
    }

    public boolean getSignedIn() {
        return isSignedIn();
    }

    public String getUsername() {
        SignedIn signedIn = SignedIn.orNull(identity);
        return signedIn == null ? null : signedIn.username();
    }

    public String getCsrf() {
        return Csrf.tokenFor(context);
    }
}
