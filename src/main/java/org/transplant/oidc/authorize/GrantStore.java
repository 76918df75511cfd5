package org.transplant.oidc.authorize;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.transplant.pod.database.Rows;
import org.transplant.pod.session.SessionTokens;

/**
 * What people agreed to: one live grant per account and client. Revoking a grant revokes every token issued under
 * it, so an app a person removes in their settings loses access at once.
 */
@ApplicationScoped
public class GrantStore {

    /** A grant as the settings page lists it. */
    public record Grant(
            long id,
            String clientId,
            String clientName,
            String scope,
            Instant spanFrom,
            Instant spanUntil,
            Instant createdAt) {}

    /**
     * What a move under a token may do: the grant the token was issued under, the nonce that grant handed out and
     * the host the person agreed to be sent to (null when the grant names none).
     */
    public record MoveGrant(long grantId, String moveNonce, String consentedHost) {}

    private final Pool pool;

    public GrantStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records consent (replacing an earlier live grant of the same client) and returns the grant id.
     * {@code consentedHost} is the host the consent page said the person would be sent back to: the only host a
     * move under this grant may go to.
     */
    public Uni<Long> grant(
            long accountId, String clientId, String scope, Instant spanFrom, Instant spanUntil, String consentedHost) {
        String host = consentedHost.toLowerCase(Locale.ROOT);
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE oidc_grants SET revoked_at = now()"
                        + " WHERE account_id = $1 AND client_id = $2 AND revoked_at IS NULL AND (scope <> $3"
                        + " OR span_from IS DISTINCT FROM $4 OR span_until IS DISTINCT FROM $5"
                        + " OR consented_host IS DISTINCT FROM $6)")
                .execute(Tuple.from(Arrays.asList(accountId, clientId, scope, utc(spanFrom), utc(spanUntil), host)))
                .chain(() -> conn.preparedQuery("SELECT id FROM oidc_grants WHERE account_id = $1 AND client_id = $2"
                                + " AND revoked_at IS NULL")
                        .execute(Tuple.of(accountId, clientId)))
                .chain(rows -> rows.iterator().hasNext()
                        ? Uni.createFrom().item(rows.iterator().next().getLong(0))
                        : conn.preparedQuery("INSERT INTO oidc_grants (account_id, client_id, scope, span_from,"
                                        + " span_until, move_nonce, consented_host) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                                        + " RETURNING id")
                                .execute(Tuple.from(Arrays.asList(
                                        accountId,
                                        clientId,
                                        scope,
                                        utc(spanFrom),
                                        utc(spanUntil),
                                        SessionTokens.newToken(),
                                        host)))
                                .map(inserted -> inserted.iterator().next().getLong(0))));
    }

    public Uni<List<Grant>> liveGrants(long accountId) {
        return pool.preparedQuery(
                        "SELECT g.*, c.client_name FROM oidc_grants g JOIN oidc_clients c"
                                + " ON c.client_id = g.client_id WHERE g.account_id = $1 AND g.revoked_at IS NULL ORDER BY g.created_at")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<Grant> grants = new ArrayList<>();
                    rows.forEach(r -> grants.add(toGrant(r)));
                    return grants;
                });
    }

    /** Revokes one of the account's grants and all its tokens; false when the account has no such live grant. */
    public Uni<Boolean> revoke(long accountId, long grantId) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE oidc_grants SET revoked_at = now()"
                        + " WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(grantId, accountId))
                .chain(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : revokeTokensOfGrant(conn, grantId).replaceWith(true)));
    }

    /** The grant the token {@code tokenId} was issued under, read in the caller's transaction; null if none. */
    public Uni<MoveGrant> moveGrantOf(SqlConnection conn, String tokenId) {
        return conn.preparedQuery("SELECT g.id, g.move_nonce, g.consented_host FROM oidc_tokens t"
                        + " JOIN oidc_grants g ON g.id = t.grant_id WHERE t.id = $1")
                .execute(Tuple.of(tokenId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new MoveGrant(r.getLong("id"), r.getString("move_nonce"), r.getString("consented_host"));
                });
    }

    /** The move nonce of the grant the token {@code tokenId} was issued under, or null. */
    public Uni<String> moveNonceOf(String tokenId) {
        return pool.withConnection(conn -> moveGrantOf(conn, tokenId))
                .map(grant -> grant == null ? null : grant.moveNonce());
    }

    /**
     * Revokes the grant and every token issued under it, in the caller's transaction: a finished move ends the
     * authorization together with the account's move.
     */
    public Uni<Void> revokeGrant(SqlConnection conn, long grantId) {
        return conn.preparedQuery("UPDATE oidc_grants SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(grantId))
                .chain(() -> revokeTokensOfGrant(conn, grantId));
    }

    /** Revokes the grant the token {@code tokenId} was issued under, with every token of it (an aborted move). */
    public Uni<Void> revokeGrantOfToken(String tokenId) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "UPDATE oidc_grants g SET revoked_at = now()"
                                + " FROM oidc_tokens t WHERE t.id = $1 AND g.id = t.grant_id AND g.revoked_at IS NULL RETURNING g.id")
                .execute(Tuple.of(tokenId))
                .chain(rows -> rows.iterator().hasNext()
                        ? revokeTokensOfGrant(conn, rows.iterator().next().getLong(0))
                        : Uni.createFrom().voidItem()));
    }

    /** Revokes every grant and token of the account, in the caller's transaction (the account is being closed). */
    public Uni<Void> revokeAll(SqlConnection conn, long accountId) {
        return conn.preparedQuery(
                        "UPDATE oidc_grants SET revoked_at = now() WHERE account_id = $1" + " AND revoked_at IS NULL")
                .execute(Tuple.of(accountId))
                .chain(() -> conn.preparedQuery("UPDATE oidc_tokens SET revoked_at = now() WHERE account_id = $1"
                                + " AND revoked_at IS NULL")
                        .execute(Tuple.of(accountId)))
                .replaceWithVoid();
    }

    private static Uni<Void> revokeTokensOfGrant(SqlClient conn, long grantId) {
        return conn.preparedQuery(
                        "UPDATE oidc_tokens SET revoked_at = now() WHERE grant_id = $1" + " AND revoked_at IS NULL")
                .execute(Tuple.of(grantId))
                .replaceWithVoid();
    }

    private static Grant toGrant(Row r) {
        return new Grant(
                r.getLong("id"),
                r.getString("client_id"),
                r.getString("client_name"),
                r.getString("scope"),
                Rows.instant(r, "span_from"),
                Rows.instant(r, "span_until"),
                Rows.instant(r, "created_at"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
