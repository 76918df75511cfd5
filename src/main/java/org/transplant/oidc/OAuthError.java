package org.transplant.oidc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OAuth 2.0 error (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 7009 §2.2.1) with its standard code. The token,
 * registration and revocation endpoints answer it as JSON; the authorization endpoint sends it back to the
 * client's redirect URI, or shows it on a page when the redirect URI cannot be trusted.
 */
public class OAuthError extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String LOGIN_REQUIRED = "login_required";
    public static final String CONSENT_REQUIRED = "consent_required";
    public static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";
    public static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";
    public static final String UNSUPPORTED_TOKEN_TYPE = "unsupported_token_type";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    /** The JSON body of an OAuth error response. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(
            String error, @JsonProperty("error_description") String errorDescription) {}

    private final String code;
    private final int status;

    public OAuthError(String code, String description) {
        this(code, description, INVALID_CLIENT.equals(code) ? 401 : 400);
    }

    public OAuthError(String code, String description, int status) {
        super(description, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Body body() {
        return new Body(code, getMessage());
    }
}
