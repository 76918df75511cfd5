package org.transplant.migration.api;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.AccountJwt;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * {@code POST /migration/v1/revocation}: after importing an account's archive, the new pod asks the old pod (when it
 * still answers) to close the old account and send its old URLs to the new ones, as after a move between live pods.
 * No token of the old pod is involved: the request is a JWS (compact JWT, RS256) signed with the old account's own
 * key, which the archive held, and the old pod checks it with the public key of that account. {@code seenSeq} is the
 * archive's snapshot: the old pod refuses ({@code newer-changes}) when the account changed since, unless
 * {@code closeDespiteNewer} says the person chose to lose those changes. {@code archive} names the archive (the
 * SHA-256 of its encrypted part): the old pod closes an account only for an archive it wrote for it and the person
 * has not removed, so a person who fears an archive leaked removes it and no revocation from it works any more.
 */
public record Revocation(
        String id,
        Handle oldHandle,
        MoveRequest move,
        String archive,
        boolean closeDespiteNewer,
        Instant issuedAt,
        Instant expiresAt) {

    /** The old pod's answer once it closed the account. */
    public record Closed(String formatVersion, String oldHandle, String newHandle, Instant movedAt) {}

    public static final String TYPE = "transplant-revocation+jwt";
    public static final String PATH = "/migration/v1/revocation";
    public static final String MEDIA_TYPE = "application/jose";
    /** A revocation is a few kilobytes. */
    public static final int MAX_LENGTH = 32 * 1024;
    /** The longest a revocation may live: one the person may still send after choosing, days later. */
    public static final Duration LONGEST = Duration.ofDays(8);

    /** {@link MoveRequest#nonce()} stands for an OAuth grant's; a revocation has none, its signature stands instead. */
    private static final String NO_NONCE = "signed-revocation";

    /** A new revocation of {@code oldHandle}'s account in favour of {@code move}, valid for {@code lives}. */
    public static Revocation of(
            Handle oldHandle, MoveRequest move, String archive, boolean closeDespiteNewer, Duration lives) {
        Instant now = Instant.now();
        return new Revocation(
                UUID.randomUUID().toString(), oldHandle, move, archive, closeDespiteNewer, now, now.plus(lives));
    }

    /** Signs it with the old key; RSA work, so the caller runs it on the worker pool. */
    public String sign(PrivateKey oldKey) {
        String old = "acct:" + oldHandle;
        var claims = Jwt.claims()
                .claim("jti", id)
                .issuer(old)
                .subject(old)
                .issuedAt(issuedAt.getEpochSecond())
                .expiresAt(expiresAt.getEpochSecond())
                .claim("movedTo", "acct:" + move.newHandle())
                .claim("newPublicKey", move.newPublicKey())
                .claim("seenSeq", move.seenSeq())
                .claim("archive", archive)
                .claim("profileUrl", move.profileUrl())
                .claim("postUrl", move.postUrl())
                .claim("closeDespiteNewer", closeDespiteNewer);
        if (move.photoUrl() != null) {
            claims.claim("photoUrl", move.photoUrl());
        }
        return claims.jws()
                .header("typ", TYPE)
                .algorithm(SignatureAlgorithm.RS256)
                .sign(oldKey);
    }

    /** The account a revocation claims to close, read before anything is verified (to find its key). */
    public static Handle claimedAccount(String jws) {
        JwtClaims claims = AccountJwt.unverified(jws);
        Handle account = claims == null ? null : AccountJwt.subject(claims);
        if (account == null) {
            throw malformed("The body is not a revocation (a compact JWS of an acct: subject)");
        }
        return account;
    }

    /**
     * The revocation, if {@code oldKey} signed it, it is of its type, neither expired nor from the future nor living
     * longer than {@link #LONGEST}. Its move is checked by the caller as a move request is.
     */
    public static Revocation verify(String jws, PublicKey oldKey) {
        JwtClaims claims;
        try {
            claims = AccountJwt.verified(jws, oldKey, TYPE);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new ProblemException(
                        Problem.of(403, "revocation-expired", "Forbidden", "The revocation has expired"));
            }
            if (AccountJwt.badSignature(e)) {
                throw new ProblemException(Problem.of(
                        403, "bad-signature", "Forbidden", "The revocation is not signed with the account's key"));
            }
            throw malformed("The revocation is not acceptable");
        }
        try {
            Instant issued = AccountJwt.instant(claims.getIssuedAt());
            Instant expires = AccountJwt.instant(claims.getExpirationTime());
            if (issued == null || expires == null) {
                throw malformed("The revocation's iat and exp must be times");
            }
            if (issued.isAfter(Instant.now().plusSeconds(AccountJwt.CLOCK_SKEW_SECONDS))) {
                throw malformed("The revocation is dated in the future");
            }
            if (expires.isAfter(issued.plus(LONGEST))) {
                throw malformed("A revocation lives at most " + LONGEST.toDays() + " days");
            }
            if (!claims.getSubject().equals(claims.getIssuer())) {
                throw malformed("The revocation's iss and sub must both be the old identity");
            }
            UUID.fromString(claims.getJwtId());
            Handle newHandle = identity("movedTo", claims.getStringClaimValue("movedTo"));
            Object seen = claims.getClaimValue("seenSeq");
            Object despite = claims.getClaimValue("closeDespiteNewer");
            // Whole numbers only: 1e400 would read as the largest long, past every change.
            if (!(seen instanceof Long || seen instanceof Integer)
                    || ((Number) seen).longValue() < 0
                    || !(despite instanceof Boolean closeDespiteNewer)) {
                throw malformed("The revocation needs seenSeq (a whole number) and closeDespiteNewer (a boolean)");
            }
            long seenSeq = ((Number) seen).longValue();
            String archive = claims.getStringClaimValue("archive");
            if (archive == null || !archive.matches("[0-9a-f]{64}")) {
                throw malformed("The revocation must name its archive (the SHA-256 of its encrypted part)");
            }
            MoveRequest move = new MoveRequest(
                    newHandle.toString(),
                    claims.getStringClaimValue("newPublicKey"),
                    NO_NONCE,
                    seenSeq,
                    claims.getStringClaimValue("profileUrl"),
                    claims.getStringClaimValue("postUrl"),
                    claims.getStringClaimValue("photoUrl"));
            return new Revocation(
                    claims.getJwtId(),
                    identity("sub", claims.getSubject()),
                    move,
                    archive,
                    closeDespiteNewer,
                    issued,
                    expires);
        } catch (MalformedClaimException | IllegalArgumentException e) {
            throw malformed("The revocation is not acceptable (jti must be a UUID, the URLs and keys strings)");
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
        return ProblemException.badRequest("bad-revocation", detail);
    }
}
