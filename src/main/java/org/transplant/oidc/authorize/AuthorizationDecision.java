package org.transplant.oidc.authorize;

import org.transplant.oidc.authorize.GrantStore.Grant;

/** What the authorization endpoint does with a valid request, as {@link AuthorizationDecider} decides it. */
public sealed interface AuthorizationDecision {

    /** Send the person to the log-in page, then back to {@code resumeAt}. */
    record LogIn(String resumeAt) implements AuthorizationDecision {}

    /** Ask the person (GET), or act on the answer they gave (POST). */
    record AskConsent(BrowserSession session) implements AuthorizationDecision {}

    /** prompt=none with an earlier consent that covers the request: issue a code under it at once. */
    record IssueUnder(BrowserSession session, Grant grant) implements AuthorizationDecision {}

    /** Send an error back to the client. */
    record Refuse(AuthorizationRefusal refusal) implements AuthorizationDecision {}
}
