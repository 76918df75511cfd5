package org.transplant.oidc.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;
import org.transplant.pod.crypto.Sha256;

/** RFC 7636 with S256 only: the verifier must hash to the challenge the client sent at authorization. */
final class Pkce {

    /** §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    private Pkce() {}

    static boolean verifies(String verifier, String challenge) {
        if (verifier == null || challenge == null || !VERIFIER.matcher(verifier).matches()) {
            return false;
        }
        // The verifier matched the unreserved-characters pattern above, so its UTF-8 bytes are its ASCII bytes.
        String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(verifier));
        return MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
