package org.transplant.pod.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.transplant.federation.MoveNoticeJws;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.pod.Handle;
import org.transplant.testing.OAuthConsent;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * A copy of the database alone opens no private key: the accounts' keys and the OIDC signing keys are sealed
 * under the key in the data folder, while tokens and move notices still sign.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PrivateKeysAtRestTest {

    @Inject
    Pool pool;

    @Inject
    PrivateKeyVault vault;

    @Test
    void theDatabaseHoldsNoPrivateKeyYetEverythingStillSigns() throws Throwable {
        PodClient.createAccount("atrest_alice");
        // A token signed by the pod's OIDC key, and accepted by the pod's own resource side.
        String token = OAuthConsent.accessToken(
                new PodApi(null, PostgresResource.ADMIN_TOKEN), "atrest_alice", "openid profile");
        given().auth()
                .oauth2(token)
                .get("/oauth/userinfo")
                .then()
                .statusCode(200)
                .body("preferred_username", equalTo("atrest_alice"));

        List<String> stored = new ArrayList<>(column("SELECT private_key_pem FROM accounts"));
        stored.addAll(column("SELECT private_key_pem FROM oidc_signing_keys"));
        assertThat(stored).hasSizeGreaterThanOrEqualTo(2);
        for (String value : stored) {
            assertThat(value).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN");
            assertThat(parsesAsPrivateKey(value))
                    .as("a stored value opens as a key without the sealing key")
                    .isFalse();
        }

        // A move notice signs with the account's (opened) key and verifies with its public key.
        String sealed = column("SELECT private_key_pem FROM accounts WHERE username = 'atrest_alice'")
                .get(0);
        String publicKey = column("SELECT public_key_pem FROM accounts WHERE username = 'atrest_alice'")
                .get(0);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MoveNotice notice = new MoveNotice(
                UUID.randomUUID().toString(),
                Handle.parse("h", "atrest_alice@old.example"),
                Handle.parse("h", "alice@new.example"),
                publicKey,
                now,
                now.plus(Duration.ofDays(1)));
        String jws =
                MoveNoticeJws.sign(notice, vault.open(sealed), "https://old.example/u/a", "https://new.example/u/a");
        assertThat(MoveNoticeJws.verify(jws, KeyPairs.parsePublicKey(publicKey)).id())
                .isEqualTo(notice.id());
    }

    @Test
    void anUnsealedKeyIsNeitherStoredNorUsed() throws Throwable {
        PodClient.createAccount("atrest_bob");
        String pem = KeyPairs.generate(1024, new SecureRandom()).privateKeyPem();
        assertThatThrownBy(() -> vault.open(pem)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> column("UPDATE accounts SET private_key_pem = '" + pem
                        + "' WHERE username = 'atrest_bob' RETURNING id"))
                .hasMessageContaining("private_key_sealed");
    }

    /** Whether a value is a private key as it stands: PEM, or base64 of PKCS#8 DER. */
    private static boolean parsesAsPrivateKey(String value) {
        try {
            KeyPairs.parsePrivateKey(value);
            return true;
        } catch (RuntimeException notPem) {
            try {
                String body = value.startsWith("v1.") ? value.substring(3) : value;
                KeyFactory.getInstance("RSA")
                        .generatePrivate(
                                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
                return true;
            } catch (Exception notDer) {
                return false;
            }
        }
    }

    private List<String> column(String query) throws Throwable {
        return VertxContextSupport.<List<String>>subscribeAndAwait(() -> pool.query(query)
                .execute()
                .map(rows -> {
                    List<String> values = new ArrayList<>();
                    for (Row row : rows) {
                        values.add(String.valueOf(row.getValue(0)));
                    }
                    return values;
                }));
    }
}
