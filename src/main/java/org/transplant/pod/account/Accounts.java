package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Looks up local accounts by id, username or guid for the features above {@code pod} (discovery, the OIDC provider),
 * answering small records instead of rows. Methods that take a {@link SqlClient} read in the caller's transaction
 * when it passes its connection.
 */
@ApplicationScoped
public class Accounts {

    /**
     * What the world may see of an account: its identity, key and state, where it moved, and its display name (null
     * when the profile names none).
     */
    public record PublicAccount(
            long id,
            String username,
            String guid,
            String publicKeyPem,
            AccountState state,
            String movedTo,
            String displayName) {}

    /** An account's stable subject (its guid) and its username. */
    public record Subject(String guid, String username) {}

    /** An account's username and public key, as a move request names the new identity. */
    public record Keyed(String username, String publicKeyPem) {}

    private final Pool pool;

    public Accounts(Pool pool) {
        this.pool = pool;
    }

    /**
     * The account {@code username} as the world may see it, or null; a closed account is still seen when it moved
     * (it names its new identity, and the key that signed the move).
     */
    public Uni<PublicAccount> publicByUsername(String username) {
        return pool.preparedQuery("SELECT a.id, a.username, a.guid, a.public_key_pem, a.state, a.moved_to,"
                        + " trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS display_name"
                        + " FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id"
                        + " WHERE a.username = $1 AND (a.state <> 'CLOSED' OR a.moved_to IS NOT NULL)")
                .execute(Tuple.of(username))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    String name = r.getString("display_name");
                    return new PublicAccount(
                            r.getLong("id"),
                            r.getString("username"),
                            r.getString("guid"),
                            r.getString("public_key_pem"),
                            AccountState.valueOf(r.getString("state")),
                            r.getString("moved_to"),
                            name == null || name.isBlank() ? null : name);
                });
    }

    /** The username of the account with guid {@code guid}, or null. */
    public Uni<String> usernameByGuid(String guid) {
        return pool.preparedQuery("SELECT username FROM accounts WHERE guid = $1")
                .execute(Tuple.of(guid))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** The account's guid and username, or null when there is no such account. */
    public Uni<Subject> subject(SqlClient c, long accountId) {
        return c.preparedQuery("SELECT guid, username FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Subject(row.getString("guid"), row.getString("username"));
                });
    }

    /** The username of the account unless it is closed (or does not exist): null then. */
    public Uni<String> openUsername(SqlClient c, long accountId) {
        return c.preparedQuery("SELECT username FROM accounts WHERE id = $1 AND state <> 'CLOSED'")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** The account's username and public key, or null when there is no such account. */
    public Uni<Keyed> keyed(long accountId) {
        return pool.preparedQuery("SELECT username, public_key_pem FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Keyed(row.getString(0), row.getString(1));
                });
    }

    /** Whether the account holds any content of its own: posts, contacts, photos or conversations. */
    public Uni<Boolean> holdsContent(long accountId) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM posts WHERE account_id = $1)"
                        + " OR EXISTS (SELECT 1 FROM contacts WHERE account_id = $1)"
                        + " OR EXISTS (SELECT 1 FROM photos WHERE account_id = $1)"
                        + " OR EXISTS (SELECT 1 FROM conversation_participants WHERE account_id = $1)")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** What an archive of the account is signed and made with: null when there is no such account. */
    public Uni<KeyHolder> keyHolder(long accountId) {
        return pool.preparedQuery("SELECT username, guid, public_key_pem, private_key_pem FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new KeyHolder(row.getString(0), row.getString(1), row.getString(2), row.getString(3));
                });
    }

    /** An account's identity and its private key as stored (sealed by the pod's secret box). */
    public record KeyHolder(String username, String guid, String publicKeyPem, String privateKeySealed) {
        @Override
        public String toString() {
            return "KeyHolder[" + username + "]";
        }
    }
}
