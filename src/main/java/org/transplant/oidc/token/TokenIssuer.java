package org.transplant.oidc.token;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.transplant.config.TransplantConfig;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.keys.SigningKeys;
import org.transplant.oidc.keys.SigningKeys.SigningKey;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.crypto.Sha256;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.session.SessionTokens;

/**
 * Mints tokens for a grant: a short-lived JWT access token (recorded by its jti so that revocation bites at once),
 * a rotating opaque refresh token, and an ID token when {@code openid} was granted.
 */
@ApplicationScoped
public class TokenIssuer {

    /**
     * What to mint, for whom. {@code familyId} ties rotated refresh tokens together. A refresh mints no new ID
     * token (OIDC Core §12.2 leaves it optional), so only the code exchange asks for one.
     */
    public record Issue(
            long grantId,
            long accountId,
            String clientId,
            String scope,
            String familyId,
            String codeHash,
            String nonce,
            Instant authTime,
            boolean withRefresh,
            boolean withIdToken) {}

    private final SigningKeys keys;
    private final WorkerPool workers;
    private final PodUrls urls;
    private final TransplantConfig.Oidc config;
    private final Accounts accounts;

    public TokenIssuer(SigningKeys keys, WorkerPool workers, PodUrls urls, TransplantConfig config, Accounts accounts) {
        this.accounts = accounts;
        this.keys = keys;
        this.workers = workers;
        this.urls = urls;
        this.config = config.oidc();
    }

    /** Mints and records the tokens inside the caller's transaction. */
    public Uni<TokenResponse> issue(SqlConnection conn, Issue issue) {
        Instant now = Instant.now();
        Instant accessExpires = now.plus(config.accessTokenTtl());
        String jti = SessionTokens.newToken();
        String refresh = issue.withRefresh() ? SessionTokens.newToken() : null;
        return accounts.subject(conn, issue.accountId())
                .chain(account -> {
                    String subject = account.guid();
                    String username = account.username();
                    return keys.active()
                            .chain(key ->
                                    workers.run(() -> sign(key, issue, subject, username, jti, now, accessExpires)));
                })
                .call(signed -> record(conn, jti, "access", issue, accessExpires))
                .call(signed -> refresh == null
                        ? Uni.createFrom().voidItem()
                        : record(
                                conn,
                                SessionTokens.hash(refresh),
                                "refresh",
                                issue,
                                now.plus(config.refreshTokenTtl())))
                .map(signed -> new TokenResponse(
                        signed.accessToken(),
                        "Bearer",
                        config.accessTokenTtl().toSeconds(),
                        refresh,
                        issue.scope(),
                        signed.idToken()));
    }

    private record Signed(String accessToken, String idToken) {}

    private Signed sign(
            SigningKey key, Issue issue, String subject, String username, String jti, Instant now, Instant expires) {
        String access = Jwt.claims()
                .issuer(urls.baseUrl())
                .subject(subject)
                .audience(urls.baseUrl())
                .issuedAt(now)
                .expiresAt(expires)
                .claim("jti", jti)
                .claim("scope", issue.scope())
                .claim("client_id", issue.clientId())
                .claim("preferred_username", username)
                .jws()
                .keyId(key.kid())
                .algorithm(SignatureAlgorithm.RS256)
                .sign(key.privateKey());
        Set<String> scopes = Set.of(issue.scope().split(" "));
        if (!issue.withIdToken() || !scopes.contains(Scopes.OPENID)) {
            return new Signed(access, null);
        }
        // OIDC Core §3.1.3.6: at_hash is the left half of the SHA-256 of the access token, base64url.
        JwtClaimsBuilder id = Jwt.claims()
                .issuer(urls.baseUrl())
                .subject(subject)
                .audience(issue.clientId())
                .issuedAt(now)
                .expiresAt(expires)
                .claim("auth_time", issue.authTime().getEpochSecond())
                .claim("azp", issue.clientId())
                .claim("at_hash", leftHalfHash(access));
        if (issue.nonce() != null) {
            id.claim("nonce", issue.nonce());
        }
        if (scopes.contains(Scopes.PROFILE)) {
            id.claim("preferred_username", username);
        }
        return new Signed(
                access,
                id.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256).sign(key.privateKey()));
    }

    private static Uni<Void> record(SqlConnection conn, String id, String kind, Issue issue, Instant expires) {
        return conn.preparedQuery("INSERT INTO oidc_tokens (id, kind, grant_id, account_id, client_id, scope,"
                        + " family_id, code_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(Arrays.asList(
                        id,
                        kind,
                        issue.grantId(),
                        issue.accountId(),
                        issue.clientId(),
                        issue.scope(),
                        issue.familyId(),
                        issue.codeHash(),
                        expires.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    static String leftHalfHash(String token) {
        byte[] digest = Sha256.of(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }
}
