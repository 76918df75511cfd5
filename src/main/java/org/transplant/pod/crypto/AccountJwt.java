package org.transplant.pod.crypto;

import java.security.PublicKey;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.transplant.pod.Handle;
import org.transplant.web.ProblemException;

/**
 * Compact JWTs an account signs with its own RSA key (RS256), naming identities as {@code acct:user@host}: the move
 * notices pods send each other, and the revocation a new pod sends an account's old pod. Each caller answers the
 * failures in its own words.
 */
public final class AccountJwt {

    /** How far the sender's clock may be off. */
    public static final int CLOCK_SKEW_SECONDS = 300;

    private AccountJwt() {}

    /** The claims, read before anything is verified (to find the key to verify them with); null when it is no JWT. */
    public static JwtClaims unverified(String jws) {
        try {
            return new JwtConsumerBuilder()
                    .setSkipSignatureVerification()
                    .setSkipAllValidators()
                    .setDisableRequireSignature()
                    .build()
                    .processToClaims(jws);
        } catch (InvalidJwtException e) {
            return null;
        }
    }

    /**
     * The claims, if {@code key} signed them with RS256 under the header type {@code type}, with an id, a subject,
     * an issue time and an expiry not passed (within the skew).
     */
    public static JwtClaims verified(String jws, PublicKey key, String type) throws InvalidJwtException {
        return new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256")
                .setExpectedType(true, type)
                .setRequireJwtId()
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setSkipDefaultAudienceValidation()
                .build()
                .processToClaims(jws);
    }

    /** A claim's time, or null when it is none an Instant holds (a signer may write any number). */
    public static java.time.Instant instant(org.jose4j.jwt.NumericDate date) {
        if (date == null) {
            return null;
        }
        try {
            return java.time.Instant.ofEpochSecond(date.getValue());
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** Whether the failure is a signature that does not verify with the key. */
    public static boolean badSignature(InvalidJwtException e) {
        return e.getErrorDetails().stream().anyMatch(d -> d.getErrorCode() == ErrorCodes.SIGNATURE_INVALID);
    }

    /** The subject as an identity; null when it is none. */
    public static Handle subject(JwtClaims claims) {
        try {
            return acct(claims.getSubject());
        } catch (MalformedClaimException e) {
            return null;
        }
    }

    /** The identity an {@code acct:user@host} value names; null when it names none. */
    public static Handle acct(String value) {
        if (value == null || !value.startsWith("acct:")) {
            return null;
        }
        try {
            return Handle.parse("acct", value.substring("acct:".length()));
        } catch (ProblemException e) {
            return null;
        }
    }
}
