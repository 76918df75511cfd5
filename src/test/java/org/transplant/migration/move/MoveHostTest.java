package org.transplant.migration.move;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * A move goes only to the host the consent page showed the person ("you will be sent back to ..."), not to any other
 * host among the client's redirect URIs.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MoveHostTest {

    private static final String CONSENTED = "127.0.0.1:9";
    private static final String OTHER = "new-pod.example";
    private static final String NEW_KEY =
            KeyPairs.generate(2048, new SecureRandom()).publicKeyPem();

    @Inject
    OidcFixture fixture;

    @Inject
    Pool pool;

    @Test
    void aMoveToAnotherRedirectHostThanTheConsentedOneIsRefusedAndChangesNothing() throws Throwable {
        PodClient.createAccount("mh_ann");
        // The app lists two hosts; the person was shown (and sent back to) the first one.
        Registration app = fixture.register(
                "Two-host mover",
                "client_secret_basic",
                List.of(OidcFixture.REDIRECT, "https://" + OTHER + "/callback"));
        String token = fixture.accessToken(app, "mh_ann", "migration:read migration:move", null, null);
        String nonce = given().auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .extract()
                .path("moveNonce");
        long seq = given().auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .extract()
                .jsonPath()
                .getLong("snapshot");
        List<String> before = state();

        move(token, body("https", OTHER, nonce, seq))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", endsWith("/move-destination-mismatch"));
        assertThat(state()).isEqualTo(before);

        // A grant that records no host (given before hosts were recorded, with no code to tell) moves nowhere.
        sql("UPDATE oidc_grants SET consented_host = NULL WHERE client_id = '"
                + app.client().clientId() + "'");
        move(token, body("http", CONSENTED, nonce, seq))
                .then()
                .statusCode(403)
                .body("type", endsWith("/move-destination-mismatch"));
        assertThat(state()).isEqualTo(before);
        sql("UPDATE oidc_grants SET consented_host = '" + CONSENTED + "' WHERE client_id = '"
                + app.client().clientId() + "'");

        move(token, body("http", CONSENTED, nonce, seq))
                .then()
                .statusCode(200)
                .body("newHandle", equalTo("ann@" + CONSENTED));
        assertThat(sql("SELECT state, moved_to FROM accounts WHERE username = 'mh_ann'"))
                .containsExactly("MOVED|ann@" + CONSENTED);
    }

    private static Response move(String token, Map<String, ?> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .auth()
                .oauth2(token)
                .post("/migration/v1/move");
    }

    private static Map<String, Object> body(String scheme, String host, String nonce, long seq) {
        Map<String, Object> body = new HashMap<>();
        body.put("newHandle", "ann@" + host);
        body.put("newPublicKey", NEW_KEY);
        body.put("nonce", nonce);
        body.put("seenSeq", seq);
        body.put("profileUrl", scheme + "://" + host + "/u/ann");
        body.put("postUrl", scheme + "://" + host + "/posts/{guid}");
        body.put("photoUrl", scheme + "://" + host + "/photos/{guid}");
        return body;
    }

    /** The account, its grants and tokens, and any queued move notice. */
    private List<String> state() {
        List<String> lines = new ArrayList<>();
        lines.addAll(sql("SELECT state, moved_to FROM accounts WHERE username = 'mh_ann'"));
        lines.addAll(sql("SELECT g.id, g.revoked_at IS NULL, (SELECT count(*) FROM oidc_tokens t WHERE"
                + " t.grant_id = g.id AND t.revoked_at IS NULL) FROM oidc_grants g JOIN accounts a"
                + " ON a.id = g.account_id WHERE a.username = 'mh_ann' ORDER BY g.id"));
        lines.addAll(sql("SELECT count(*) FROM move_notices"));
        return lines;
    }

    private List<String> sql(String query) {
        return SqlLines.of(pool, query);
    }
}
