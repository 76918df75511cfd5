package org.transplant.oidc.authorize;

/**
 * An authorization request refused. When the client or its redirect URI cannot be trusted, the person sees the
 * reason on a page and is never redirected (RFC 6749 §4.1.2.1, §10.15 open redirectors); otherwise the error goes
 * back to the client's redirect URI with its {@code state}.
 */
public class AuthorizationRefusal extends RuntimeException {

    private final String code;
    private final String redirectUri;
    private final String state;

    private AuthorizationRefusal(String code, String description, String redirectUri, String state) {
        super(description, null, false, false);
        this.code = code;
        this.redirectUri = redirectUri;
        this.state = state;
    }

    /** Shown on a page: the request names no known client or a redirect URI that client did not register. */
    public static AuthorizationRefusal untrusted(String description) {
        return new AuthorizationRefusal("invalid_request", description, null, null);
    }

    /** Sent back to the client, whose redirect URI is known to be registered. */
    public static AuthorizationRefusal toClient(String redirectUri, String state, String code, String description) {
        return new AuthorizationRefusal(code, description, redirectUri, state);
    }

    public boolean redirects() {
        return redirectUri != null;
    }

    public String code() {
        return code;
    }

    public String description() {
        return getMessage();
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String state() {
        return state;
    }
}
