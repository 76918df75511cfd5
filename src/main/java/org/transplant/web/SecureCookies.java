package org.transplant.web;

import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.config.TransplantConfig;

/**
 * Whether the pod's cookies carry {@code Secure}: always when the public URL is https, since behind a TLS proxy
 * the request the pod sees may be plain http; otherwise when the request itself came over https.
 */
@Startup
@ApplicationScoped
public class SecureCookies {

    private static volatile boolean publicHttps;

    // Reads the setting itself: PodUrls, made this early, would fix the port before the test port is known.
    public SecureCookies(TransplantConfig config) {
        publicHttps = config.publicUrl()
                .map(String::strip)
                .filter(url -> url.regionMatches(true, 0, "https://", 0, 8))
                .isPresent();
    }

    /** Whether the public URL is https. */
    public static boolean publicUrlIsHttps() {
        return publicHttps;
    }

    /** Whether a cookie set in answer to {@code request} must be {@code Secure}. */
    public static boolean secure(HttpServerRequest request) {
        return publicHttps || "https".equals(request.scheme());
    }
}
