package org.transplant.pod.session;

import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import org.transplant.web.ProblemException;

/**
 * The person signed in at this browser, read from the identity of their session cookie. Only
 * {@link SessionAuthenticationMechanism} builds it: an access token's identity is not a browser session, so no page,
 * form or {@code /api/v1} call that acts "as the signed-in person" ever acts for a token holder (an endpoint that
 * takes tokens reads {@code BearerToken} and checks its scope instead).
 */
public record SignedIn(long accountId, String username) {

    /** The {@link SignedIn} of a browser session; set by the session mechanism and nowhere else. */
    static final String SESSION = "transplant.session";

    public static final String ACCOUNT_ID = "transplant.account-id";
    /** When a browser session last proved the password ({@link Instant}); absent for bearer tokens. */
    public static final String AUTHENTICATED_AT = "transplant.authenticated-at";
    /** The role of an identity that comes from a browser session (not from a bearer token). */
    public static final String SESSION_ROLE = "session";

    /** The session's person; 401 without a browser session (an access token is none). */
    public static SignedIn of(SecurityIdentity identity) {
        SignedIn signedIn = orNull(identity);
        if (signedIn == null) {
            throw ProblemException.unauthorized("Sign in first");
        }
        return signedIn;
    }

    /** The session's person, or null for an anonymous caller or an access token. */
    public static SignedIn orNull(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !identity.hasRole(SESSION_ROLE)) {
            return null;
        }
        return identity.getAttribute(SESSION) instanceof SignedIn signedIn ? signedIn : null;
    }
}
