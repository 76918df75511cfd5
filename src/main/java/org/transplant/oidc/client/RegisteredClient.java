package org.transplant.oidc.client;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** A client registered with this pod (RFC 7591): another pod, or a backup app. */
public record RegisteredClient(
        String clientId,
        String clientName,
        List<String> redirectUris,
        List<String> grantTypes,
        String tokenEndpointAuthMethod,
        String clientUri,
        Instant createdAt) {

    public static final String AUTH_BASIC = "client_secret_basic";
    public static final String AUTH_POST = "client_secret_post";
    public static final String AUTH_NONE = "none";

    public boolean isPublic() {
        return AUTH_NONE.equals(tokenEndpointAuthMethod);
    }

    /** Redirect URIs match exactly, character for character (RFC 6749 §3.1.2.3, OAuth 2.0 Security BCP §4.1.3). */
    public boolean allowsRedirect(String redirectUri) {
        return redirectUri != null && redirectUris.contains(redirectUri);
    }

    /** The host a person is sent back to, as the consent page names it. */
    public static String hostOf(String redirectUri) {
        URI uri = URI.create(redirectUri);
        return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }
}
