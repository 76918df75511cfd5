package org.transplant.pod.session;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.config.TransplantConfig;
import org.transplant.web.SecureCookies;

/** The session cookie a sign-in sets: HTTP only, same-site lax, secure when the pod is served over https. */
@ApplicationScoped
public class SessionCookies {

    private final TransplantConfig config;

    public SessionCookies(TransplantConfig config) {
        this.config = config;
    }

    public void set(RoutingContext context, String token) {
        context.response()
                .addCookie(Cookie.cookie(SessionAuthenticationMechanism.COOKIE, token)
                        .setPath("/")
                        .setHttpOnly(true)
                        .setSameSite(CookieSameSite.LAX)
                        .setSecure(SecureCookies.secure(context.request()))
                        .setMaxAge(config.sessions().ttl().toSeconds()));
    }
}
