package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.authorize.AuthorizationCodeStore;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.session.SessionTokens;

/** Decides the authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6) for an authenticated client. */
@ApplicationScoped
public class CodeGrant {

    private static final Logger LOG = Logger.getLogger(CodeGrant.class);

    private final AuthorizationCodeStore codes;
    private final TokenIssuer issuer;
    private final Pool pool;
    private final Grants grants;

    public CodeGrant(AuthorizationCodeStore codes, TokenIssuer issuer, Pool pool, Grants grants) {
        this.grants = grants;
        this.codes = codes;
        this.issuer = issuer;
        this.pool = pool;
    }

    public Uni<TokenResponse> exchange(RegisteredClient client, TokenRequest request) {
        if (request.code == null || request.code.isBlank()) {
            throw new OAuthError(OAuthError.INVALID_REQUEST, "code is required");
        }
        return codes.redeem(request.code).chain(code -> {
            if (code == null || !code.clientId().equals(client.clientId())) {
                throw invalidGrant("The authorization code is unknown");
            }
            if (code.usedAt() != null) {
                // RFC 6749 §4.1.2: a code used twice is refused and what it issued is revoked, since one of the
                // two presenters stole it.
                LOG.warnf("Authorization code replayed by client %s; revoking its tokens", client.clientId());
                return revokeIssuedFrom(code.codeHash())
                        .chain(() -> Uni.createFrom().failure(invalidGrant("The authorization code was already used")));
            }
            if (code.expiresAt().isBefore(Instant.now())) {
                throw invalidGrant("The authorization code has expired");
            }
            if (!code.redirectUri().equals(request.redirectUri)) {
                throw invalidGrant("redirect_uri does not match the authorization request");
            }
            if (!Pkce.verifies(request.codeVerifier, code.codeChallenge())) {
                throw invalidGrant("code_verifier does not match the code_challenge");
            }
            TokenIssuer.Issue issue = new TokenIssuer.Issue(
                    code.grantId(),
                    code.accountId(),
                    client.clientId(),
                    code.scope(),
                    SessionTokens.newToken(),
                    code.codeHash(),
                    code.nonce(),
                    code.authTime(),
                    client.grantTypes().contains("refresh_token"),
                    true);
            return pool.withTransaction(
                    conn -> grants.requireLive(conn, code.grantId()).chain(() -> issuer.issue(conn, issue)));
        });
    }

    private Uni<Void> revokeIssuedFrom(String codeHash) {
        return pool.preparedQuery("UPDATE oidc_tokens SET revoked_at = now() WHERE family_id IN"
                        + " (SELECT family_id FROM oidc_tokens WHERE code_hash = $1) AND revoked_at IS NULL")
                .execute(Tuple.of(codeHash))
                .replaceWithVoid();
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError(OAuthError.INVALID_GRANT, description);
    }
}
