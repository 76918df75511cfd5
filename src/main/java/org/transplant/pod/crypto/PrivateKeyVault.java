package org.transplant.pod.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Private keys at rest (accounts' keys, the OIDC provider's signing keys): the database holds them sealed by
 * {@link SecretBox}, never as PEM, so a copy of the database alone signs nothing. Opened keys are kept in memory,
 * so signing stays as fast as before: the import, the export and every token sign with them.
 */
@ApplicationScoped
public class PrivateKeyVault {

    /** Enough for every account a busy pod signs for at once; beyond it the cache starts over. */
    private static final int MAX_CACHED = 10_000;

    private final SecretBox box;
    private final Map<String, PrivateKey> opened = new ConcurrentHashMap<>();

    public PrivateKeyVault(SecretBox box) {
        this.box = box;
    }

    /** The value to store for a PKCS#8 PEM private key. */
    public String seal(String privateKeyPem) {
        return box.seal(privateKeyPem);
    }

    /** The key a stored value seals; a value that is not sealed (plain PEM) is refused, not used. */
    public PrivateKey open(String stored) {
        if (!SecretBox.isSealed(stored)) {
            throw new IllegalStateException("A private key in the database is not sealed; it is not used");
        }
        PrivateKey key = opened.get(stored);
        if (key == null) {
            key = KeyPairs.parsePrivateKey(box.open(stored));
            if (opened.size() >= MAX_CACHED) {
                opened.clear();
            }
            opened.put(stored, key);
        }
        return key;
    }
}
