package org.transplant.pod.session;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.transplant.web.ProblemException;
import org.transplant.web.SecureCookies;

/**
 * Double-submit CSRF protection for the pod's HTML forms: a random value in an HttpOnly, SameSite=Strict cookie must
 * come back in the form's hidden {@code csrf} field. A cross-site page can neither read the cookie nor set it.
 */
public final class Csrf {

    public static final String COOKIE = "transplant_csrf";
    public static final String FIELD = "csrf";
    private static final String CONTEXT_KEY = "transplant.csrf";

    private Csrf() {}

    /** The token to embed in forms of this response, creating (and setting) the cookie when it is missing. */
    public static String tokenFor(RoutingContext context) {
        String existing = context.get(CONTEXT_KEY);
        if (existing != null) {
            return existing;
        }
        HttpServerRequest request = context.request();
        Cookie cookie = request.getCookie(COOKIE);
        String token = cookie != null && cookie.getValue().length() >= 32 ? cookie.getValue() : null;
        if (token == null) {
            token = SessionTokens.newToken();
            HttpServerResponse response = context.response();
            response.addCookie(Cookie.cookie(COOKIE, token)
                    .setPath("/")
                    .setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT)
                    .setSecure(SecureCookies.secure(request)));
        }
        context.put(CONTEXT_KEY, token);
        return token;
    }

    /** Refuses a form whose field does not match the cookie, with a 403 problem. */
    public static void verify(RoutingContext context, String submitted) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null
                || submitted == null
                || submitted.isBlank()
                || !MessageDigest.isEqual(
                        cookie.getValue().getBytes(StandardCharsets.UTF_8),
                        submitted.getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden(
                    "csrf", "This form has expired or came from another site; reload the" + " page and try again");
        }
    }
}
