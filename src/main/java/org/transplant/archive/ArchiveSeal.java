package org.transplant.archive;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.transplant.pod.crypto.KeyPairs;

/**
 * The archive's signature: the account's RSA key over the exact bytes of {@code identity.json}, which name the
 * SHA-256 of the encrypted part, so one signature covers both. Verified with the public key the identity names;
 * whether that key is really the old identity's is the importer's question (it asks the network, not the archive).
 */
final class ArchiveSeal {

    private static final int MIN_BITS = 2048;
    private static final int MAX_BITS = 8192;

    private ArchiveSeal() {}

    static byte[] sign(PrivateKey key, byte[] identity) {
        try {
            Signature signature = Signature.getInstance(ArchiveFormat.SIGNATURE_ALGORITHM);
            signature.initSign(key);
            signature.update(identity);
            return Base64.getEncoder().encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the account's key cannot sign", e);
        }
    }

    /** Refuses unless {@code signed} is a signature of {@code identity} by the RSA key {@code publicKeyPem}. */
    static void verify(String publicKeyPem, byte[] identity, byte[] signed) {
        try {
            PublicKey key = rsa(publicKeyPem);
            Signature signature = Signature.getInstance(ArchiveFormat.SIGNATURE_ALGORITHM);
            signature.initVerify(key);
            signature.update(identity);
            byte[] bytes = Base64.getMimeDecoder().decode(new String(signed, StandardCharsets.US_ASCII).trim());
            if (signature.verify(bytes)) {
                return;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Falls through to the refusal: a signature that cannot be checked is no signature.
        }
        throw badSignature();
    }

    /** Whether the private key is the one whose public half the identity names. */
    static boolean pairs(PrivateKey key, String publicKeyPem) {
        try {
            return key instanceof RSAPrivateCrtKey crt
                    && rsa(publicKeyPem) instanceof RSAPublicKey pub
                    && crt.getModulus().equals(pub.getModulus())
                    && crt.getPublicExponent().equals(pub.getPublicExponent());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey rsa(String pem) {
        PublicKey key = KeyPairs.parsePublicKey(pem);
        if (!(key instanceof RSAPublicKey rsa)
                || rsa.getModulus().bitLength() < MIN_BITS
                || rsa.getModulus().bitLength() > MAX_BITS) {
            throw new IllegalArgumentException("not an RSA key of " + MIN_BITS + " to " + MAX_BITS + " bits");
        }
        return key;
    }

    static ArchiveRefused badSignature() {
        return new ArchiveRefused(
                "bad-signature", "The archive's signature does not match the key of the identity it names");
    }
}
