package org.transplant.pod.session;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.crypto.PasswordHasher;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Browser sign-in: checks the password (Argon2id on the worker pool), throttles guessing, and keeps sessions in
 * PostgreSQL so that any pod instance, and a restarted one, knows them.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    /** Verified when the username is unknown, so that a miss costs the same time as a wrong password. */
    private static final String DECOY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$ZgsA2r8sCVzk1Kk9bWO0cQ1zjm0a3m3d1n7pQW8wY2s";

    private final Pool pool;
    private final PasswordHasher hasher;
    private final WorkerPool workers;
    private final TransplantConfig.Sessions config;

    public SessionService(Pool pool, PasswordHasher hasher, WorkerPool workers, TransplantConfig config) {
        this.pool = pool;
        this.hasher = hasher;
        this.workers = workers;
        this.config = config.sessions();
    }

    /** A new session token for the right password; a 401 or 429 problem otherwise. */
    public Uni<String> signIn(String username, String password, String clientAddress) {
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        String user = "user:" + name;
        String client = "client:" + clientAddress;
        return checkNotThrottled(user, client)
                .chain(() -> pool.preparedQuery("SELECT id, password_hash, state FROM accounts WHERE username = $1")
                        .execute(Tuple.of(name)))
                .chain(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    String hash = row == null ? DECOY_HASH : row.getString("password_hash");
                    String given = password == null ? "" : password;
                    return workers.run(() -> hasher.verify(given, hash))
                            .chain(matches -> matches && row != null && !"CLOSED".equals(row.getString("state"))
                                    ? openSession(row.getLong("id"))
                                    : recordFailure(user, client)
                                            .chain(() -> Uni.createFrom()
                                                    .failure(ProblemException.unauthorized(
                                                            "Wrong username or password"))));
                });
    }

    /**
     * Whether {@code password} is the signed-in account's password, for an action that asks for it again (deleting
     * a moved account). It counts against the same failed log-ins as the log-in form, per account and per client
     * address, so that a session cannot be used to guess the password: a 429 problem once the window is full.
     */
    public Uni<Boolean> checkPassword(long accountId, String password, String clientAddress) {
        return pool.preparedQuery("SELECT username, password_hash FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    String user = "user:" + row.getString("username");
                    String client = "client:" + clientAddress;
                    String given = password == null ? "" : password;
                    return checkNotThrottled(user, client)
                            .chain(() -> workers.run(() -> hasher.verify(given, row.getString("password_hash"))))
                            .call(matches -> matches ? Uni.createFrom().voidItem() : recordFailure(user, client));
                });
    }

    /** A live browser session: who, and when they last proved it with their password. */
    public record Session(SignedIn signedIn, Instant authenticatedAt) {}

    /** The session for a cookie value, or null when it is unknown or expired. */
    public Uni<Session> lookup(String token) {
        return pool.preparedQuery("SELECT a.id, a.username, s.created_at FROM sessions s"
                        + " JOIN accounts a ON a.id = s.account_id"
                        + " WHERE s.token_hash = $1 AND s.expires_at > now() AND a.state <> 'CLOSED'")
                .execute(Tuple.of(SessionTokens.hash(token)))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Session(
                            new SignedIn(row.getLong("id"), row.getString("username")),
                            row.getOffsetDateTime("created_at").toInstant());
                });
    }

    public Uni<Void> signOut(String token) {
        return pool.preparedQuery("DELETE FROM sessions WHERE token_hash = $1")
                .execute(Tuple.of(SessionTokens.hash(token)))
                .replaceWithVoid();
    }

    /** Ends every session of the account, in the caller's transaction (the account is being closed). */
    public Uni<Void> signOutEverywhere(SqlConnection conn, long accountId) {
        return conn.preparedQuery("DELETE FROM sessions WHERE account_id = $1")
                .execute(Tuple.of(accountId))
                .replaceWithVoid();
    }

    private Uni<String> openSession(long accountId) {
        String token = SessionTokens.newToken();
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(config.ttl());
        return pool.preparedQuery("INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(SessionTokens.hash(token), accountId, expires))
                .replaceWith(token);
    }

    private Uni<Void> checkNotThrottled(String user, String client) {
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minus(config.failedLoginWindow());
        return pool.preparedQuery("SELECT count(*) FILTER (WHERE subject = $1), count(*) FILTER (WHERE subject = $2)"
                        + " FROM failed_logins WHERE subject IN ($1, $2) AND failed_at > $3")
                .execute(Tuple.of(user, client, since))
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getLong(0) >= config.maxFailedLogins()
                            || row.getLong(1) >= config.maxFailedLoginsPerClient()) {
                        LOG.warnf("Throttled log-in for %s", user);
                        Problem base = Problem.of(
                                429,
                                "too-many-failed-logins",
                                "Too many failed log-ins",
                                "Too many failed log-ins; try again in "
                                        + config.failedLoginWindow().toMinutes() + " minutes");
                        throw new ProblemException(base);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> recordFailure(String user, String client) {
        return pool.preparedQuery("INSERT INTO failed_logins (subject) VALUES ($1), ($2)")
                .execute(Tuple.of(user, client))
                .replaceWithVoid();
    }
}
