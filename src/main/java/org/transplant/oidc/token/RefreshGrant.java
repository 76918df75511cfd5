package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import org.jboss.logging.Logger;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.session.SessionTokens;

/**
 * Decides the refresh_token grant (RFC 6749 §6) with rotation: each refresh token works once and yields a new one.
 * Presenting a used one again means it leaked, so the whole family is revoked (OAuth 2.0 Security BCP §4.14.2).
 */
@ApplicationScoped
public class RefreshGrant {

    private static final Logger LOG = Logger.getLogger(RefreshGrant.class);

    private final TokenIssuer issuer;
    private final Pool pool;
    private final Grants grants;

    public RefreshGrant(TokenIssuer issuer, Pool pool, Grants grants) {
        this.grants = grants;
        this.issuer = issuer;
        this.pool = pool;
    }

    public Uni<TokenResponse> refresh(RegisteredClient client, TokenRequest request) {
        if (request.refreshToken == null || request.refreshToken.isBlank()) {
            throw new OAuthError(OAuthError.INVALID_REQUEST, "refresh_token is required");
        }
        String id = SessionTokens.hash(request.refreshToken);
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "SELECT * FROM oidc_tokens WHERE id = $1" + " AND kind = 'refresh' FOR UPDATE")
                        .execute(Tuple.of(id))
                        .chain(rows -> {
                            Row row =
                                    rows.iterator().hasNext() ? rows.iterator().next() : null;
                            if (row == null || !row.getString("client_id").equals(client.clientId())) {
                                throw CodeGrant.invalidGrant("The refresh token is unknown");
                            }
                            if (row.getOffsetDateTime("used_at") != null) {
                                LOG.warnf(
                                        "Rotated refresh token reused by client %s; revoking its family",
                                        client.clientId());
                                return revokeFamily(conn, row.getString("family_id"))
                                        .map(ignored -> (TokenResponse) null);
                            }
                            if (row.getOffsetDateTime("revoked_at") != null
                                    || row.getOffsetDateTime("expires_at")
                                            .toInstant()
                                            .isBefore(Instant.now())) {
                                throw CodeGrant.invalidGrant("The refresh token is expired or revoked");
                            }
                            String scope = narrowed(row.getString("scope"), request.scope);
                            TokenIssuer.Issue issue = new TokenIssuer.Issue(
                                    row.getLong("grant_id"),
                                    row.getLong("account_id"),
                                    client.clientId(),
                                    scope,
                                    row.getString("family_id"),
                                    null,
                                    null,
                                    null,
                                    true,
                                    false);
                            return conn.preparedQuery("UPDATE oidc_tokens SET used_at = now() WHERE id = $1")
                                    .execute(Tuple.of(id))
                                    .chain(() -> grants.requireLive(conn, issue.grantId()))
                                    .chain(() -> issuer.issue(conn, issue));
                        }))
                // The family's revocation must commit, so the refusal is raised after the transaction.
                .onItem()
                .ifNull()
                .failWith(() -> CodeGrant.invalidGrant("The refresh token was already used"));
    }

    private static Uni<Void> revokeFamily(SqlConnection conn, String familyId) {
        return conn.preparedQuery(
                        "UPDATE oidc_tokens SET revoked_at = now() WHERE family_id = $1" + " AND revoked_at IS NULL")
                .execute(Tuple.of(familyId))
                .replaceWithVoid();
    }

    /** RFC 6749 §6: a refresh may ask for fewer scopes, never more. */
    private static String narrowed(String granted, String requested) {
        if (requested == null || requested.isBlank()) {
            return granted;
        }
        Set<String> asked = Scopes.parse(requested);
        if (asked == null || !Set.of(granted.split(" ")).containsAll(asked)) {
            throw new OAuthError(OAuthError.INVALID_SCOPE, "A refresh cannot widen the granted scopes");
        }
        return Scopes.format(asked);
    }
}
