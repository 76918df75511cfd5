package org.transplant.migration.importer;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.Until;

/**
 * Import jobs against an old pod the test runs itself, as the start and the consent leave them (the old pod's
 * tokens are made up: an in-test old pod takes any), and the end of such a job.
 */
final class InTestImports {

    private static final List<String> RUNNING = List.of("AUTHORIZED", "IMPORTING", "FINISHING");

    private final Pool pool;
    private final SecretBox secrets;

    InTestImports(Pool pool, SecretBox secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    /** An authorized job for a new account {@code username}, importing from the old pod at {@code issuer}. */
    String start(String username, String issuer, String photoMode) throws Throwable {
        return start(username, issuer, photoMode, job -> {});
    }

    /** The same, with {@code beforeStart} run on the job's id before the runner may take the job. */
    String start(String username, String issuer, String photoMode, Consumer<String> beforeStart) throws Throwable {
        PodClient.createAccount(username);
        long account =
                row("SELECT id FROM accounts WHERE username = $1", username).getLong(0);
        long pod = row(
                        "INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key) VALUES ($1, 'client',"
                                + " $2, $3) RETURNING id",
                        issuer,
                        secrets.seal("secret"),
                        UUID.randomUUID().toString())
                .getLong(0);
        String job = UUID.randomUUID().toString();
        execute(
                "INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode, state,"
                        + " access_token, refresh_token, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 'AUTHORIZED', $7,"
                        + " $8, now() + interval '1 hour')",
                job,
                account,
                "old@" + issuer.substring("http://".length()),
                PodClient.handle(username),
                pod,
                photoMode,
                secrets.seal("access"),
                secrets.seal("refresh"));
        beforeStart.accept(job);
        execute("UPDATE import_jobs SET next_attempt_at = now() WHERE id = $1", job);
        return job;
    }

    /** Waits until the job no longer runs, or fails with its last state and error; answers state, error, done. */
    Row awaitEnd(String job) throws Throwable {
        Until.seen("import " + job + " to end", () -> stateOf(job), state -> !RUNNING.contains(state.split(":")[0]));
        return row("SELECT state, error, done FROM import_jobs WHERE id = $1", job);
    }

    /** The job's state and error, as the failure of a wait says them. */
    private String stateOf(String job) throws Exception {
        Row row = rowForWait("SELECT state, error FROM import_jobs WHERE id = $1", job);
        return row.getString(0) + ": " + row.getString(1);
    }

    /** Whether a query of one boolean column answers true: something to wait for with {@link Until}. */
    boolean holds(String sql, Object... params) throws Exception {
        return rowForWait(sql, params).getBoolean(0);
    }

    /** {@link #row}, throwing only what {@link Until}'s looks may throw. */
    private Row rowForWait(String sql, Object... params) throws Exception {
        try {
            return row(sql, params);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    Row row(String sql, Object... params) throws Throwable {
        return VertxContextSupport.<Row>subscribeAndAwait(() -> pool.preparedQuery(sql)
                .execute(Tuple.from(params))
                .map(rows -> rows.iterator().next()));
    }

    void execute(String sql, Object... params) throws Throwable {
        VertxContextSupport.<Object>subscribeAndAwait(
                () -> pool.preparedQuery(sql).execute(Tuple.from(params)).replaceWith(new Object()));
    }
}
