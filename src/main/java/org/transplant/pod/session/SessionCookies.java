package org.transplant.pod.session;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.config.TransplantConfig;

/** The session cookie a sign-in sets: HTTP only, same-site lax, secure over https. */
@ApplicationScoped
public class SessionCookies {

    private final TransplantConfig config;

    public SessionCookies(TransplantConfig config) {
        this.config = config;
    }

    public void set(RoutingContext context, String token) {
        context.response().addCookie(Cookie.cookie(SessionAuthenticationMechanism.COOKIE, token).setPath("/")
                .setHttpOnly(true).setSameSite(CookieSameSite.LAX)
                .setSecure("https".equals(context.request().scheme()))
                .setMaxAge(config.sessions().ttl().toSeconds()));
    }
}
