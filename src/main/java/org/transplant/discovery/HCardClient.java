package org.transplant.discovery;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
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

    /** The most of an hCard page read: a real one is a few KiB. */
    static final int MAX_PAGE = 256 * 1024;

    /** The longest key text taken (an RSA key of 8192 bits is about 1.5 KiB of PEM). */
    private static final int MAX_KEY = 20_000;

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
                .send(MAX_PAGE)
                .onFailure()
                .transform(e -> new WebFingerClient.Unreachable(
                        person.handle().host() + " did not serve its hCard: " + TransportFailures.describe(e), e))
                .map(response -> response.statusCode() == 200
                                && response.body() != null
                                && response.body().length() <= MAX_PAGE
                        ? keyIn(response.bodyAsString())
                        : null);
    }

    /**
     * The PEM text of the first element of class {@code key} in an hCard page, or null. A scan in one pass (no
     * regular expression: another pod's page must not cost more than its length).
     */
    static String keyIn(String page) {
        if (page == null) {
            return null;
        }
        String text = page.length() > MAX_PAGE ? page.substring(0, MAX_PAGE) : page;
        int from = 0;
        while (true) {
            int at = text.indexOf("class=\"", from);
            if (at < 0) {
                return null;
            }
            int valueStart = at + "class=\"".length();
            int valueEnd = text.indexOf('"', valueStart);
            if (valueEnd < 0) {
                return null;
            }
            from = valueEnd + 1;
            if (!hasClass(text.substring(valueStart, valueEnd), "key")) {
                continue;
            }
            int open = text.indexOf('>', valueEnd);
            int close = open < 0 ? -1 : text.indexOf('<', open);
            if (close < 0 || close - open > MAX_KEY) {
                return null;
            }
            String key = unescaped(text.substring(open + 1, close)).trim();
            return key.startsWith("-----BEGIN") ? key + "\n" : null;
        }
    }

    private static boolean hasClass(String classes, String wanted) {
        for (String name : classes.trim().split("\\s+")) {
            if (name.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String unescaped(String text) {
        return text.replace("&#x000A;", "\n")
                .replace("&#10;", "\n")
                .replace("&#x2F;", "/")
                .replace("&#43;", "+")
                .replace("&#x3D;", "=")
                .replace("&amp;", "&");
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
