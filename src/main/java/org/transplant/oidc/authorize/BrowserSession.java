package org.transplant.oidc.authorize;

import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import org.transplant.pod.session.SignedIn;

/**
 * The person in front of the browser, from their session cookie, and when they last gave their password. A bearer
 * token's identity is not a browser session: only a person at the pod's own pages may consent.
 */
public record BrowserSession(SignedIn signedIn, Instant authenticatedAt) {

    /** The session, or null when the request carries none. */
    public static BrowserSession of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !identity.hasRole(SignedIn.SESSION_ROLE)) {
            return null;
        }
        Instant authenticatedAt = identity.getAttribute(SignedIn.AUTHENTICATED_AT);
        SignedIn signedIn = SignedIn.orNull(identity);
        return signedIn == null || authenticatedAt == null ? null : new BrowserSession(signedIn, authenticatedAt);
    }

    public long accountId() {
        return signedIn.accountId();
    }
}
