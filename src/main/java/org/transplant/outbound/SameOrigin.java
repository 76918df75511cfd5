package org.transplant.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Whether URLs share a scheme, host and port (RFC 6454 origins), or a URL is on a handle's host. */
public final class SameOrigin {

    private SameOrigin() {}

    public static boolean same(String url, String other) {
        String a = origin(url);
        return a != null && a.equals(origin(other));
    }

    /** {@code url} on {@code hostAndPort} (a handle's host, {@code name[:port]}), the port defaulting by scheme. */
    public static boolean onHost(String url, String hostAndPort) {
        String origin = origin(url);
        if (origin == null) {
            return false;
        }
        String scheme = origin.substring(0, origin.indexOf("://"));
        String expected = hostAndPort.toLowerCase(Locale.ROOT);
        if (!expected.matches(".*:\\d+")) {
            expected += ":" + defaultPort(scheme);
        }
        return origin.equals(scheme + "://" + expected);
    }

    /** scheme://host:port in lower case with the port made explicit, or null for anything but an http(s) URL. */
    static String origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                return null;
            }
            int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException | NullPointerException e) {
            return null;
        }
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
