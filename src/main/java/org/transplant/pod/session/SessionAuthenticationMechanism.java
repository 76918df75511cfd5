package org.transplant.pod.session;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Turns the session cookie of a signed-in browser into a security identity carrying the account id. */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String COOKIE = "transplant_session";

    private final SessionService sessions;

    public SessionAuthenticationMechanism(SessionService sessions) {
        this.sessions = sessions;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return sessions.lookup(cookie.getValue())
                .map(session -> session == null
                        ? null
                        : QuarkusSecurityIdentity.builder()
                                .setPrincipal(
                                        new QuarkusPrincipal(session.signedIn().username()))
                                .addRole(SignedIn.SESSION_ROLE)
                                .addAttribute(SignedIn.SESSION, session.signedIn())
                                .addAttribute(
                                        SignedIn.ACCOUNT_ID, session.signedIn().accountId())
                                .addAttribute(SignedIn.AUTHENTICATED_AT, session.authenticatedAt())
                                .build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
