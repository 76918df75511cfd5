package org.transplant.outbound;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * A pod as it runs by default, with private addresses not allowed: an anonymous import start that names a handle on
 * an internal address (loopback by address or by name, "this host", a private network, the cloud metadata service)
 * is refused with a problem, and the internal server never hears from the pod; nor do quarkus-oidc's own calls
 * (an OIDC client's discovery, an old pod's code-flow tenant) reach it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(OutboundPolicyTest.NoPrivateAddresses.class)
class OutboundPolicyTest {

    /** The default a pod runs with; the other tests allow private addresses, since every pod of theirs is local. */
    public static class NoPrivateAddresses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transplant.outbound.allow-private-addresses", "false");
        }
    }

    private static final String MARKER = "internal-service-secret-7d1f";

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Inject
    OidcClients oidcClients;

    @Test
    void anImportStartNeverReachesAnInternalAddress() throws Exception {
        try (FakeServer internal = new FakeServer(
                "127.0.0.1",
                exchange -> FakeServer.answer(exchange, 200, "application/json", "{\"subject\":\"" + MARKER + "\"}"))) {
            String port = internal.host().substring(internal.host().indexOf(':') + 1);
            String[] handles = {
                "x@" + internal.host(),
                "x@localhost:" + port,
                "x@0.0.0.0:" + port,
                "x@169.254.169.254",
                "x@10.1.2.3:" + port,
                "x@100.64.0.1:" + port
            };
            // Other tests register pods of their own: this one counts only what its requests would add.
            long pods = count("SELECT count(*) FROM remote_pods");
            int n = 0;
            for (String handle : handles) {
                given().contentType(ContentType.JSON)
                        .body(Map.of(
                                "handle",
                                handle,
                                "username",
                                "op_new" + n++,
                                "password",
                                "a long test password 42",
                                "email",
                                "n@example.org"))
                        .post("/api/v1/imports")
                        .then()
                        .statusCode(422)
                        .contentType("application/problem+json")
                        .body("type", endsWith("/old-pod-refused"))
                        .body(not(containsString(MARKER)));
            }
            assertThat(internal.received).isEmpty();
            assertThat(count("SELECT count(*) FROM accounts WHERE username LIKE 'op_new%'"))
                    .isZero();
            assertThat(count("SELECT count(*) FROM remote_pods")).isEqualTo(pods);
        }
    }

    @Test
    void quarkusOidcCallsNeverReachAnInternalAddress() throws Exception {
        try (FakeServer internal = new FakeServer(
                "127.0.0.1",
                exchange -> FakeServer.answer(exchange, 200, "application/json", "{\"issuer\":\"" + MARKER + "\"}"))) {
            // Even a pod registered at that address (as a pod allowing private addresses once did) is not called.
            pool.preparedQuery("INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key)"
                            + " VALUES ($1, 'c', $2, 'op-key')")
                    .execute(Tuple.of(internal.url(), secrets.seal("s")))
                    .await()
                    .indefinitely();
            PodClient.createAccount("op_owner");
            pool.query("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode,"
                            + " state) SELECT 'op-job', a.id, 'x@" + internal.host() + "', 'op_owner@localhost', r.id,"
                            + " 'COPY', 'REQUESTED' FROM accounts a, remote_pods r WHERE a.username = 'op_owner'"
                            + " AND r.callback_key = 'op-key'")
                    .execute()
                    .await()
                    .indefinitely();

            // quarkus-oidc-client: the discovery of a client made for that pod.
            assertThatThrownBy(() -> oidcClients
                            .newClient(new OidcClientConfigBuilder()
                                    .id("op-probe")
                                    .authServerUrl(internal.url())
                                    .clientId("c")
                                    .credentials("s")
                                    .build())
                            .chain(client -> client.getTokens())
                            .await()
                            .atMost(Until.PATIENCE))
                    .isNotNull();
            // quarkus-oidc: the code-flow tenant of that pod, resolved when a browser starts the flow.
            given().redirects()
                    .follow(false)
                    .get("/import/connect/op-job")
                    .then()
                    .statusCode(Matchers.not(200));
            assertThat(internal.received).isEmpty();
        }
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }
}
