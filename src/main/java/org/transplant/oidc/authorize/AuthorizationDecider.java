package org.transplant.oidc.authorize;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.authorize.AuthorizationDecision.AskConsent;
import org.transplant.oidc.authorize.AuthorizationDecision.IssueUnder;
import org.transplant.oidc.authorize.AuthorizationDecision.LogIn;
import org.transplant.oidc.authorize.AuthorizationDecision.Refuse;
import org.transplant.oidc.authorize.GrantStore.Grant;

/**
 * Decides, for a valid request and the browser's session, whether the person must log in (again), be asked, or
 * whether a code can be issued at once (prompt=none, OpenID Connect Core §3.1.2.1 and §3.1.2.6). No I/O here.
 */
public final class AuthorizationDecider {

    /** A log-in after the detour counts only this long: an old link cannot stand in for prompt=login or max_age. */
    static final Duration LOGIN_DETOUR = Duration.ofMinutes(10);

    private AuthorizationDecider() {}

    /** For {@code GET /oauth/authorize}; {@code grant} is the person's live grant that covers the request, if any. */
    public static AuthorizationDecision onRequest(
            ValidAuthorization request, BrowserSession session, Grant grant, Instant now) {
        AuthorizationDecision login = logInFirst(request, session, now);
        if (login != null) {
            return request.promptNone()
                    ? new Refuse(request.refuse(OAuthError.LOGIN_REQUIRED, "The person is not logged in"))
                    : login;
        }
        if (request.promptNone()) {
            return grant != null
                    ? new IssueUnder(session, grant)
                    : new Refuse(request.refuse(OAuthError.CONSENT_REQUIRED, "The person has not allowed this yet"));
        }
        return new AskConsent(session);
    }

    /** For the consent form's {@code POST}: the answer counts only from a session that is fresh enough. */
    public static AuthorizationDecision onAnswer(ValidAuthorization request, BrowserSession session, Instant now) {
        AuthorizationDecision login = logInFirst(request, session, now);
        return login != null ? login : new AskConsent(session);
    }

    /**
     * Whether a grant the person gave earlier covers every scope requested now and, when the app proposes a backup
     * span, was given for exactly that span: an earlier consent to another span is not silently taken for this one.
     */
    public static boolean covers(Grant grant, ValidAuthorization request) {
        return grant.clientId().equals(request.client().clientId())
                && Set.of(grant.scope().split(" ")).containsAll(request.scopes())
                && spanMatches(grant, request.proposedSpan());
    }

    private static boolean spanMatches(Grant grant, BackupSpan proposed) {
        return proposed == null
                || (Objects.equals(grant.spanFrom(), proposed.from())
                        && Objects.equals(grant.spanUntil(), proposed.until()));
    }

    private static AuthorizationDecision logInFirst(ValidAuthorization request, BrowserSession session, Instant now) {
        if (session == null) {
            return new LogIn(request.request().path());
        }
        boolean forced = request.prompt().contains(ValidAuthorization.PROMPT_LOGIN);
        boolean tooOld = request.maxAge() != null
                && session.authenticatedAt().plusSeconds(request.maxAge()).isBefore(now);
        if ((forced || tooOld) && !loggedInAfterDetour(request, session, now)) {
            // The marker in the URL (this session's log-in time) lets the request go on after a newer log-in instead
            // of looping. Both times come from the same clock, PostgreSQL's.
            return new LogIn(
                    request.request().withLoginAfter(session.authenticatedAt()).path());
        }
        return null;
    }

    private static boolean loggedInAfterDetour(ValidAuthorization request, BrowserSession session, Instant now) {
        Instant marker = request.loginAfter();
        return marker != null
                && session.authenticatedAt().isAfter(marker)
                && session.authenticatedAt().isAfter(now.minus(LOGIN_DETOUR));
    }
}
