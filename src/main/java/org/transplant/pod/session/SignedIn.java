package org.transplant.pod.session;

import io.quarkus.security.identity.SecurityIdentity;
import org.transplant.web.ProblemException;

/** The account a request acts for, read from its security identity (a browser session, later a bearer token). */
public record SignedIn(long accountId, String username) {

    public static final String ACCOUNT_ID = "transplant.account-id";
    /** When a browser session last proved the password ({@link java.time.Instant}); absent for bearer tokens. */
    public static final String AUTHENTICATED_AT = "transplant.authenticated-at";
    /** The role of an identity that comes from a browser session (not from a bearer token). */
    public static final String SESSION_ROLE = "session";

    public static SignedIn of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || identity.getAttribute(ACCOUNT_ID) == null) {
            throw ProblemException.unauthorized("Sign in first");
        }
        return new SignedIn(identity.<Long>getAttribute(ACCOUNT_ID), identity.getPrincipal().getName());
    }

    public static SignedIn orNull(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() || identity.getAttribute(ACCOUNT_ID) == null
                ? null
                : of(identity);
    }
}
