package org.transplant.pod.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** RSA key pairs of accounts, kept as PEM text (the form diaspora* federates public keys in). */
public final class KeyPairs {

    /** A generated pair as PEM: the private key in PKCS#8, the public key as SubjectPublicKeyInfo. */
    public record PemKeyPair(String publicKeyPem, String privateKeyPem) {
        @Override
        public String toString() {
            return "PemKeyPair[public key only: " + publicKeyPem.length() + " chars]";
        }
    }

    private KeyPairs() {}

    /** Generates a pair; CPU-heavy (hundreds of milliseconds at 2048 bits), so run it on the worker pool. */
    public static PemKeyPair generate(int bits, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            KeyPair pair = generator.generateKeyPair();
            return new PemKeyPair(
                    pem(pair.getPublic()), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    public static PublicKey parsePublicKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed instanceof SubjectPublicKeyInfo info) {
                return new JcaPEMKeyConverter().getPublicKey(info);
            }
            throw new IllegalArgumentException("not a PEM public key");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM public key", e);
        }
    }

    /** A PKCS#8 private key, as {@link #generate} writes it. */
    public static PrivateKey parsePrivateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
            throw new IllegalStateException("stored key is not a PKCS#8 private key");
        } catch (IOException e) {
            throw new IllegalStateException("stored private key is unreadable", e);
        }
    }

    /** The same key, whatever line breaks and spaces its PEM text has. */
    public static boolean samePublicKey(String a, String b) {
        try {
            return Arrays.equals(
                    parsePublicKey(a).getEncoded(), parsePublicKey(b).getEncoded());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A key (or key info) as PEM text. */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
