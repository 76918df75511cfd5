package org.transplant.oidc.authorize;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.oidc.authorize.GrantStore.Grant;

/** Records a person's consent and issues the authorization code that carries it to the client. */
@ApplicationScoped
public class ConsentService {

    private final GrantStore grants;
    private final AuthorizationCodeStore codes;

    public ConsentService(GrantStore grants, AuthorizationCodeStore codes) {
        this.grants = grants;
        this.codes = codes;
    }

    /** The person's live grant to this client that covers every requested scope, or null. */
    public Uni<Grant> coveringGrant(BrowserSession session, ValidAuthorization request) {
        if (session == null) {
            return Uni.createFrom().nullItem();
        }
        return grants.liveGrants(session.accountId())
                .map(live -> live.stream()
                        .filter(grant -> AuthorizationDecider.covers(grant, request))
                        .findFirst()
                        .orElse(null));
    }

    /** The person allowed the request on the consent page: store the grant, then issue a code under it. */
    public Uni<String> approve(BrowserSession session, ValidAuthorization request, BackupSpan span) {
        BackupSpan limit = request.asksForBackup() ? span : BackupSpan.ALL_TIME;
        // The host recorded is the one ConsentPage showed for this very request.
        return grants.grant(
                        session.accountId(),
                        request.client().clientId(),
                        request.scope(),
                        limit.from(),
                        limit.until(),
                        ConsentPage.hostShown(request))
                .chain(grantId -> issue(grantId, session, request));
    }

    /** A code under a consent given earlier (prompt=none); the grant keeps its own span. */
    public Uni<String> issueUnder(Grant grant, BrowserSession session, ValidAuthorization request) {
        return issue(grant.id(), session, request);
    }

    private Uni<String> issue(long grantId, BrowserSession session, ValidAuthorization request) {
        // The code is bound to the redirect URI and PKCE challenge of this request (RFC 6749 §4.1.3, RFC 7636 §4.4).
        return codes.issue(
                grantId,
                request.client().clientId(),
                session.accountId(),
                request.redirectUri(),
                request.scope(),
                request.nonce(),
                request.codeChallenge(),
                session.authenticatedAt());
    }
}
