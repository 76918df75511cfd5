package org.transplant.pod.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * One cleanup pass removes what is stale (expired sessions, old failed log-ins, expired codes, expired tokens of
 * dead families, clients nobody authorized within the time) and keeps everything live, in batches.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CleanupPassTest {

    @Inject
    CleanupPass pass;

    @Inject
    Pool pool;

    @Test
    void removesStaleRowsAndKeepsLiveOnes() throws Throwable {
        PodClient.createAccount("cp_ann");
        long ann = VertxContextSupport.subscribeAndAwait(
                () -> pool.query("SELECT id FROM accounts" + " WHERE username = 'cp_ann'")
                        .execute()
                        .map(rows -> rows.iterator().next().getLong(0)));
        sql(
                "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES"
                        + " ('cp-session-expired', " + ann + ", now() - interval '1 hour'),"
                        + " ('cp-session-live', " + ann + ", now() + interval '1 hour')",
                // More stale rows than one batch (1000), so the pass has to go on batch after batch.
                "INSERT INTO failed_logins (subject, failed_at) SELECT 'user:cp-old', now() - interval '1 day'"
                        + " FROM generate_series(1, 2500)",
                "INSERT INTO failed_logins (subject, failed_at) VALUES ('user:cp-recent', now())",
                "INSERT INTO oidc_clients (client_id, client_name, redirect_uris, grant_types,"
                        + " token_endpoint_auth_method, created_at) VALUES"
                        + " ('cp-client-unused-old', 'a', '{https://a.example/cb}', '{authorization_code}', 'none',"
                        + "  now() - interval '31 days'),"
                        + " ('cp-client-used-old', 'b', '{https://b.example/cb}', '{authorization_code}', 'none',"
                        + "  now() - interval '31 days'),"
                        + " ('cp-client-unused-new', 'c', '{https://c.example/cb}', '{authorization_code}', 'none',"
                        + "  now() - interval '1 day')",
                "INSERT INTO oidc_grants (id, account_id, client_id, scope) VALUES (900001, " + ann
                        + ", 'cp-client-used-old', 'openid')",
                "INSERT INTO oidc_codes (code_hash, grant_id, client_id, account_id, redirect_uri, scope,"
                        + " code_challenge, auth_time, expires_at, used_at) VALUES"
                        + " ('cp-code-expired', 900001, 'cp-client-used-old', " + ann + ", 'r', 'openid', 'c', now(),"
                        + "  now() - interval '1 minute', now() - interval '2 minutes'),"
                        + " ('cp-code-used-live', 900001, 'cp-client-used-old', " + ann + ", 'r', 'openid', 'c',"
                        + "  now(), now() + interval '1 minute', now())",
                "INSERT INTO oidc_tokens (id, kind, grant_id, account_id, client_id, scope, family_id, expires_at,"
                        + " used_at) VALUES"
                        + " ('cp-access-expired', 'access', 900001, " + ann + ", 'x', 'openid', 'f1',"
                        + "  now() - interval '1 minute', NULL),"
                        + " ('cp-access-live', 'access', 900001, " + ann + ", 'x', 'openid', 'f1',"
                        + "  now() + interval '10 minutes', NULL),"
                        // Family f1 lives on: its used, expired refresh token stays to reveal a replay.
                        + " ('cp-refresh-used-expired', 'refresh', 900001, " + ann + ", 'x', 'openid', 'f1',"
                        + "  now() - interval '1 minute', now() - interval '2 days'),"
                        + " ('cp-refresh-live', 'refresh', 900001, " + ann + ", 'x', 'openid', 'f1',"
                        + "  now() + interval '30 days', NULL),"
                        + " ('cp-refresh-dead', 'refresh', 900001, " + ann + ", 'x', 'openid', 'f2',"
                        + "  now() - interval '1 minute', NULL)");

        VertxContextSupport.subscribeAndAwait(() -> pass.runOnce());

        assertThat(ids("SELECT token_hash FROM sessions WHERE token_hash LIKE 'cp-%'"))
                .containsExactly("cp-session-live");
        assertThat(ids("SELECT subject || ':' || count(*) FROM failed_logins WHERE subject LIKE 'user:cp-%'"
                        + " GROUP BY subject"))
                .containsExactly("user:cp-recent:1");
        assertThat(ids("SELECT client_id FROM oidc_clients WHERE client_id LIKE 'cp-%' ORDER BY client_id"))
                .containsExactly("cp-client-unused-new", "cp-client-used-old");
        assertThat(ids("SELECT code_hash FROM oidc_codes WHERE code_hash LIKE 'cp-%'"))
                .containsExactly("cp-code-used-live");
        assertThat(ids("SELECT id FROM oidc_tokens WHERE id LIKE 'cp-%' ORDER BY id"))
                .containsExactly("cp-access-live", "cp-refresh-live", "cp-refresh-used-expired");
    }

    private void sql(String... statements) throws Throwable {
        for (String statement : statements) {
            VertxContextSupport.subscribeAndAwait(() -> pool.query(statement).execute());
        }
    }

    private List<String> ids(String query) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.query(query)
                .execute()
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getValue(0).toString()));
                    return ids;
                }));
    }
}
