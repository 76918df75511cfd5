package org.transplant.oidc.authorize;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.transplant.pod.session.SessionTokens;

/** Authorization codes: random, stored as hashes, single use, valid for one minute. */
@ApplicationScoped
public class AuthorizationCodeStore {

    static final Duration LIFETIME = Duration.ofSeconds(60);

    /** What a code stands for. {@code usedAt} is set when the code had been redeemed before (a replay). */
    public record CodeGrant(
            String codeHash,
            long grantId,
            String clientId,
            long accountId,
            String redirectUri,
            String scope,
            String nonce,
            String codeChallenge,
            Instant authTime,
            Instant expiresAt,
            Instant usedAt) {}

    private final Pool pool;

    public AuthorizationCodeStore(Pool pool) {
        this.pool = pool;
    }

    /** Issues a code for a consent; the returned value goes to the client once and is never stored. */
    public Uni<String> issue(
            long grantId,
            String clientId,
            long accountId,
            String redirectUri,
            String scope,
            String nonce,
            String codeChallenge,
            Instant authTime) {
        String code = SessionTokens.newToken();
        return pool.preparedQuery(
                        "INSERT INTO oidc_codes (code_hash, grant_id, client_id, account_id, redirect_uri,"
                                + " scope, nonce, code_challenge, auth_time, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.from(Arrays.asList(
                        SessionTokens.hash(code),
                        grantId,
                        clientId,
                        accountId,
                        redirectUri,
                        scope,
                        nonce,
                        codeChallenge,
                        authTime.atOffset(ZoneOffset.UTC),
                        OffsetDateTime.now(ZoneOffset.UTC).plus(LIFETIME))))
                .replaceWith(code);
    }

    /**
     * Marks the code used and returns what it stood for, or null for an unknown code. A code used before comes
     * back with {@code usedAt} set, so that the caller can refuse it and revoke what it issued.
     */
    public Uni<CodeGrant> redeem(String code) {
        String hash = SessionTokens.hash(code);
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "SELECT * FROM oidc_codes WHERE code_hash = $1 FOR UPDATE")
                .execute(Tuple.of(hash))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    CodeGrant grant = toGrant(rows.iterator().next());
                    if (grant.usedAt() != null) {
                        return Uni.createFrom().item(grant);
                    }
                    return conn.preparedQuery("UPDATE oidc_codes SET used_at = now() WHERE code_hash = $1")
                            .execute(Tuple.of(hash))
                            .replaceWith(grant);
                }));
    }

    private static CodeGrant toGrant(Row r) {
        OffsetDateTime used = r.getOffsetDateTime("used_at");
        return new CodeGrant(
                r.getString("code_hash"),
                r.getLong("grant_id"),
                r.getString("client_id"),
                r.getLong("account_id"),
                r.getString("redirect_uri"),
                r.getString("scope"),
                r.getString("nonce"),
                r.getString("code_challenge"),
                r.getOffsetDateTime("auth_time").toInstant(),
                r.getOffsetDateTime("expires_at").toInstant(),
                used == null ? null : used.toInstant());
    }
}
