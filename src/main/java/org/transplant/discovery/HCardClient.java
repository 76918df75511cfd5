package org.transplant.discovery;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.transplant.outbound.PodHttp;
import org.transplant.outbound.TransportFailures;

/**
 * Reads a person's public key from the hCard their diaspora* pod links from WebFinger (diaspora*'s WebFinger has
 * served no key since 2017; its hCard does, in the element of class {@code key}). Only an hCard on the person's own
 * host is read: another host cannot speak for them.
 */
@ApplicationScoped
public class HCardClient {

    /** The rel of the hCard link in a diaspora* JRD. */
    public static final String REL = "http://microformats.org/profile/hcard";

    /** The element holding the key, and its text (a PEM has no markup inside). */
    private static final Pattern KEY =
            Pattern.compile("<[a-zA-Z]+[^>]*\\sclass=\"[^\"]*\\bkey\\b[^\"]*\"[^>]*>([^<]{1,20000})<");

    private final PodHttp http;

    public HCardClient(PodHttp http) {
        this.http = http;
    }

    /**
     * The key (PEM text) of the hCard {@code person}'s JRD links, or null when it links none, the link leaves the
     * person's host, or the page holds no key. Fails with {@link WebFingerClient.Unreachable} when the page does not
     * answer.
     */
    public Uni<String> key(WebFingerClient.Person person) {
        String href = person.link(REL);
        if (href == null || !sameHost(href, person.handle().host())) {
            return Uni.createFrom().nullItem();
        }
        return http.request(HttpMethod.GET, href)
                .putHeader("Accept", "text/html")
                .send()
                .onFailure()
                .transform(e -> new WebFingerClient.Unreachable(
                        person.handle().host() + " did not serve its hCard: " + TransportFailures.describe(e), e))
                .map(response -> response.statusCode() == 200 ? keyIn(response.bodyAsString()) : null);
    }

    /** The PEM text of the first element of class {@code key} in an hCard page, or null. */
    static String keyIn(String page) {
        if (page == null) {
            return null;
        }
        Matcher matcher = KEY.matcher(page);
        if (!matcher.find()) {
            return null;
        }
        String text = matcher.group(1)
                .replace("&#x000A;", "\n")
                .replace("&#10;", "\n")
                .replace("&#x2F;", "/")
                .replace("&#43;", "+")
                .replace("&#x3D;", "=")
                .replace("&amp;", "&")
                .trim();
        return text.startsWith("-----BEGIN") ? text + "\n" : null;
    }

    private static boolean sameHost(String href, String host) {
        try {
            URI uri = URI.create(href);
            String authority = uri.getRawAuthority();
            return authority != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
