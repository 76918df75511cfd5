package org.transplant.diaspora;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.transplant.pod.crypto.KeyPairs;

/**
 * The RSA keys a diaspora* export brings: the account's private key (PKCS#1 {@code RSA PRIVATE KEY}, as diaspora*
 * stores it) and the people's public keys (SubjectPublicKeyInfo, or PKCS#1 {@code RSA PUBLIC KEY} from old pods).
 * Anything that is not RSA of 2048 to 8192 bits is refused with {@link IllegalArgumentException}.
 */
public final class DiasporaKeys {

    // diaspora* makes 4096-bit keys, older pods made 2048; smaller ones are forgeable, larger ones a denial of service.
    static final int MIN_BITS = 2048;
    static final int MAX_BITS = 8192;

    private DiasporaKeys() {}

    public static PublicKey publicKey(String pem) {
        Object parsed = readPem(pem);
        if (!(parsed instanceof SubjectPublicKeyInfo info)) {
            throw new IllegalArgumentException("not a PEM public key");
        }
        try {
            // PEMParser turns PKCS#1 "RSA PUBLIC KEY" into a SubjectPublicKeyInfo as well.
            return checked(new JcaPEMKeyConverter().getPublicKey(info));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable public key", e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        Object parsed = readPem(pem);
        PrivateKeyInfo info;
        if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed instanceof PrivateKeyInfo plain) {
            info = plain;
        } else {
            throw new IllegalArgumentException("not an unencrypted PEM private key");
        }
        try {
            return checked(new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable private key", e);
        }
    }

    /** PKCS#8 PEM, the form {@code KeyPairs} stores and reads back. */
    public static String pkcs8Pem(PrivateKey key) {
        try {
            return KeyPairs.pem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode this private key", e);
        }
    }

    /** SubjectPublicKeyInfo PEM ({@code PUBLIC KEY}), as diaspora* serves it in the hCard. */
    public static String publicPem(PublicKey key) {
        return KeyPairs.pem(key);
    }

    public static PublicKey publicOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("not an RSA key with its CRT parameters");
        }
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key", e);
        }
    }

    private static Object readPem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no PEM text");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed == null) {
                throw new IllegalArgumentException("no PEM object");
            }
            return parsed;
        } catch (IOException | IllegalStateException e) {
            // Bad base64 (BouncyCastle's DecoderException is an IllegalStateException) or bad DER inside.
            throw new IllegalArgumentException("unreadable PEM", e);
        }
    }

    private static <K extends Key> K checked(K key) {
        if (!(key instanceof RSAKey rsa)) {
            throw new IllegalArgumentException("not an RSA key: " + key.getAlgorithm());
        }
        // A huge public exponent makes every check slow (an export chooses its contacts' keys): 65537 is the norm.
        if (key instanceof java.security.interfaces.RSAPublicKey pub
                && pub.getPublicExponent().bitLength() > 32) {
            throw new IllegalArgumentException("RSA key with a public exponent of more than 32 bits");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "RSA key of " + bits + " bits (" + MIN_BITS + " to " + MAX_BITS + " accepted)");
        }
        return key;
    }
}
