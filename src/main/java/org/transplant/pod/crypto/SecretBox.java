package org.transplant.pod.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.transplant.config.TransplantConfig;

/**
 * Secrets at rest (another pod's tokens and client secret, the accounts' and the OIDC provider's private keys):
 * AES-256-GCM under a key kept in the data folder, not in the database, so a copy of the database alone opens
 * nothing.
 */
@ApplicationScoped
public class SecretBox {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "v1.";

    private final SecretKeySpec key;

    @Inject
    public SecretBox(TransplantConfig config) {
        this(Path.of(config.dataDir()));
    }

    /** The box of the pod whose data folder is {@code dataDir} (Flyway's sealing step has no CDI). */
    public SecretBox(Path dataDir) {
        this.key = new SecretKeySpec(loadOrCreateKey(dataDir.resolve("secrets").resolve("secret-box.key")), "AES");
    }

    /** Whether a stored value is one this box wrote (not yet whether it opens). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String seal(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(12 + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String open(String sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
            return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A sealed secret does not open with this pod's key", e);
        }
    }

    private static byte[] loadOrCreateKey(Path file) {
        try {
            return Base64.getDecoder().decode(OwnerOnlyFiles.readOrCreate(file, () -> {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                return Base64.getEncoder().encodeToString(key);
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret key " + file, e);
        }
    }
}
