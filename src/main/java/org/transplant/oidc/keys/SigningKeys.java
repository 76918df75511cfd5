package org.transplant.oidc.keys;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.session.SessionTokens;

/**
 * The pod's token-signing keys, kept in PostgreSQL so that every instance signs and verifies alike. The newest live
 * key signs; a rotated-out key stays published in the JWKS until the last access token it signed has expired.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** How long the active key is cached before the database is asked again (a rotation elsewhere shows then). */
    private static final Duration CACHE = Duration.ofSeconds(30);

    /** A key: its id, public key, and the private key for the one that signs. */
    public record SigningKey(String kid, PublicKey publicKey, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "SigningKey[" + kid + "]";
        }
    }

    private final Pool pool;
    private final WorkerPool workers;
    private final PrivateKeyVault vault;
    private final TransplantConfig.Oidc config;
    private volatile SigningKey active;
    private volatile Instant activeReadAt = Instant.EPOCH;

    public SigningKeys(Pool pool, WorkerPool workers, PrivateKeyVault vault, TransplantConfig config) {
        this.pool = pool;
        this.workers = workers;
        this.vault = vault;
        this.config = config.oidc();
    }

    /** The key that signs now, created on first use. */
    public Uni<SigningKey> active() {
        SigningKey cached = active;
        if (cached != null && activeReadAt.plus(CACHE).isAfter(Instant.now())) {
            return Uni.createFrom().item(cached);
        }
        return pool.query("SELECT * FROM oidc_signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1")
                .execute()
                .chain(rows -> rows.iterator().hasNext()
                        ? Uni.createFrom().item(toKey(rows.iterator().next()))
                        : create())
                .invoke(key -> {
                    active = key;
                    activeReadAt = Instant.now();
                });
    }

    /** Every key a token still in date may carry: the live ones and those retired less than a token's life ago. */
    public Uni<List<SigningKey>> published() {
        OffsetDateTime oldest = OffsetDateTime.now(ZoneOffset.UTC)
                .minus(config.accessTokenTtl())
                .minusMinutes(1);
        return active().chain(() -> pool.preparedQuery("SELECT * FROM oidc_signing_keys WHERE retired_at IS NULL"
                                + " OR retired_at > $1 ORDER BY created_at DESC")
                        .execute(Tuple.of(oldest)))
                .map(rows -> {
                    List<SigningKey> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(toKey(r)));
                    return keys;
                });
    }

    /** Makes a new key the signing one and retires the others (they keep verifying until their tokens expire). */
    public Uni<SigningKey> rotate() {
        return create().chain(key -> pool.preparedQuery("UPDATE oidc_signing_keys SET retired_at = now()"
                                + " WHERE kid <> $1 AND retired_at IS NULL")
                        .execute(Tuple.of(key.kid()))
                        .replaceWith(key))
                .invoke(key -> {
                    active = key;
                    activeReadAt = Instant.now();
                    LOG.infof("Rotated the token-signing key; %s signs now", key.kid());
                });
    }

    private Uni<SigningKey> create() {
        return workers.run(() -> KeyPairs.generate(config.signingKeyBits(), new SecureRandom()))
                .chain(pair -> {
                    String kid = SessionTokens.newToken().substring(0, 16);
                    return pool.preparedQuery("INSERT INTO oidc_signing_keys (kid, public_key_pem, private_key_pem)"
                                    + " VALUES ($1, $2, $3) RETURNING *")
                            .execute(Tuple.of(kid, pair.publicKeyPem(), vault.seal(pair.privateKeyPem())))
                            .map(rows -> toKey(rows.iterator().next()));
                });
    }

    /** The private key is opened from its sealed form (the database never holds it as PEM), cached by the vault. */
    private SigningKey toKey(Row row) {
        return new SigningKey(
                row.getString("kid"),
                KeyPairs.parsePublicKey(row.getString("public_key_pem")),
                vault.open(row.getString("private_key_pem")));
    }
}
