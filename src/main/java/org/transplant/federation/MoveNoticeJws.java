package org.transplant.federation;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.AccountJwt;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * A move notice as a JWS (compact JWT, RS256) signed with the mover's old private key. Its claims name the old
 * identity ({@code sub}), the new one ({@code movedTo}, FEP-7628's name) with its public key, the time, a unique id
 * ({@code jti}) and an expiry; {@code activity} carries the same move as an ActivityStreams {@code Move}.
 */
public final class MoveNoticeJws {

    public static final String TYPE = "transplant-move+jwt";
    /** Longest notice a pod reads: a notice is a few kilobytes. */
    public static final int MAX_LENGTH = 32 * 1024;

    /** What a notice says. */
    public record MoveNotice(
            String id,
            Handle oldHandle,
            Handle newHandle,
            String newPublicKeyPem,
            Instant movedAt,
            Instant expiresAt) {}

    private MoveNoticeJws() {}

    /** Signs a notice with a PEM key (tests, and callers holding a key outside the database). */
    public static String sign(MoveNotice notice, String oldPrivateKeyPem, String oldProfileUrl, String newProfileUrl) {
        return sign(notice, KeyPairs.parsePrivateKey(oldPrivateKeyPem), oldProfileUrl, newProfileUrl);
    }

    /** Signs a notice; RSA work, so the caller runs it on the worker pool. */
    public static String sign(MoveNotice notice, PrivateKey oldPrivateKey, String oldProfileUrl, String newProfileUrl) {
        String old = "acct:" + notice.oldHandle();
        String target = "acct:" + notice.newHandle();
        return Jwt.claims()
                .claim("jti", notice.id())
                .issuer(old)
                .subject(old)
                .issuedAt(notice.movedAt().getEpochSecond())
                .expiresAt(notice.expiresAt().getEpochSecond())
                .claim("movedTo", target)
                .claim("newPublicKey", notice.newPublicKeyPem())
                .claim(
                        "activity",
                        Map.of(
                                "@context",
                                "https://www.w3.org/ns/activitystreams",
                                "id",
                                oldProfileUrl + "#move-" + notice.id(),
                                "type",
                                "Move",
                                "actor",
                                oldProfileUrl,
                                "object",
                                oldProfileUrl,
                                "target",
                                newProfileUrl))
                .jws()
                .header("typ", TYPE)
                .algorithm(SignatureAlgorithm.RS256)
                .sign(oldPrivateKey);
    }

    /** The old identity a notice claims to come from, read before anything is verified (to find the key). */
    public static Handle claimedSender(String jws) {
        JwtClaims claims = AccountJwt.unverified(jws);
        if (claims == null) {
            throw malformed("The body is not a move notice (a compact JWS)");
        }
        Handle sender = AccountJwt.subject(claims);
        if (sender == null) {
            throw malformed("The claim sub must be an acct: identity (user@host)");
        }
        return sender;
    }

    /** The notice, if {@code oldKey} signed it, it is of its type, and it is neither expired nor from the future. */
    public static MoveNotice verify(String jws, PublicKey oldKey) {
        JwtClaims claims;
        try {
            claims = AccountJwt.verified(jws, oldKey, TYPE);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new ProblemException(
                        Problem.of(403, "notice-expired", "Forbidden", "The move notice has expired"));
            }
            if (AccountJwt.badSignature(e)) {
                throw new ProblemException(Problem.of(
                        403,
                        "bad-signature",
                        "Forbidden",
                        "The move notice is not signed with the key this pod holds for its sender"));
            }
            throw malformed("The move notice is not acceptable: " + e.getMessage());
        }
        try {
            NumericDate issued = claims.getIssuedAt();
            if (issued.getValue() > Instant.now().getEpochSecond() + AccountJwt.CLOCK_SKEW_SECONDS) {
                throw malformed("The move notice is dated in the future");
            }
            Handle oldHandle = identity("sub", claims.getSubject());
            if (!claims.getSubject().equals(claims.getIssuer())) {
                throw malformed("The move notice's iss and sub must both be the old identity");
            }
            UUID.fromString(claims.getJwtId());
            Handle newHandle = identity("movedTo", claims.getStringClaimValue("movedTo"));
            if (oldHandle.equals(newHandle)) {
                throw malformed("The move notice moves an identity to itself");
            }
            String key = claims.getStringClaimValue("newPublicKey");
            if (key == null) {
                throw malformed("The move notice carries no newPublicKey");
            }
            KeyPairs.parsePublicKey(key);
            return new MoveNotice(
                    claims.getJwtId(),
                    oldHandle,
                    newHandle,
                    key,
                    Instant.ofEpochSecond(issued.getValue()),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (MalformedClaimException | IllegalArgumentException | java.time.DateTimeException e) {
            throw malformed("The move notice is not acceptable (jti must be a UUID, newPublicKey a PEM public key): "
                    + e.getMessage());
        }
    }

    private static Handle identity(String claim, String value) {
        Handle identity = AccountJwt.acct(value);
        if (identity == null) {
            throw malformed("The claim " + claim + " must be an acct: identity (user@host)");
        }
        return identity;
    }

    private static ProblemException malformed(String detail) {
        return ProblemException.badRequest("bad-notice", detail);
    }
}
