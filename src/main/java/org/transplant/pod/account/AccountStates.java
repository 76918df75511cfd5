package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import org.transplant.pod.database.Rows;

/**
 * The moves of an account through its {@link AccountState}s, each in the transaction of the feature that causes it
 * (an import, a move, a deletion), so that the state changes together with that feature's own rows.
 */
@ApplicationScoped
public class AccountStates {

    /** An account as a move sees it under its row lock: who, in which state, where it went, how far it changed. */
    public record Locked(String username, AccountState state, String movedTo, long lastSeq, String privateKeySealed) {}

    /**
     * Locks the account's row in {@code c}'s transaction until it ends (writes to its content wait, as they take
     * change sequence numbers from this row) and answers what a move checks; null when there is no such account.
     */
    public Uni<Locked> lock(SqlConnection c, long accountId) {
        return c.preparedQuery("SELECT username, state, moved_to, last_seq, private_key_pem FROM accounts"
                        + " WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Locked(
                            row.getString("username"),
                            AccountState.valueOf(row.getString("state")),
                            row.getString("moved_to"),
                            row.getLong("last_seq"),
                            row.getString("private_key_pem"));
                });
    }

    /** The account's state now (in a transaction when {@code c} is its connection), or null when there is none. */
    public Uni<AccountState> stateOf(SqlClient c, long accountId) {
        return c.preparedQuery("SELECT state FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext()
                        ? AccountState.valueOf(rows.iterator().next().getString(0))
                        : null);
    }

    /** ACTIVE to MOVING: the account an import fills takes no content of its own meanwhile. */
    public Uni<Void> startMoving(SqlConnection c, long accountId) {
        return c.preparedQuery("UPDATE accounts SET state = 'MOVING' WHERE id = $1 AND state = 'ACTIVE'")
                .execute(Tuple.of(accountId))
                .replaceWithVoid();
    }

    /** MOVING back to ACTIVE: the import ended (done, failed or called off). */
    public Uni<Void> endMoving(SqlConnection c, long accountId) {
        return c.preparedQuery("UPDATE accounts SET state = 'ACTIVE' WHERE id = $1 AND state = 'MOVING'")
                .execute(Tuple.of(accountId))
                .replaceWithVoid();
    }

    /**
     * To MOVED: the account now lives at {@code newHandle}, and its old URLs lead to the new ones (each pattern
     * holds {@code {guid}}; null when the new pod named none). Returns when it moved.
     */
    public Uni<Instant> markMoved(
            SqlConnection c, long accountId, String newHandle, String profileUrl, String postUrl, String photoUrl) {
        return c.preparedQuery(
                        "UPDATE accounts SET state = 'MOVED', moved_to = $2, moved_to_profile_url = $3,"
                                + " moved_to_post_url = $4, moved_to_photo_url = $5, moved_at = now() WHERE id = $1 RETURNING moved_at")
                .execute(Tuple.from(Arrays.asList(accountId, newHandle, profileUrl, postUrl, photoUrl)))
                .map(rows -> Rows.instant(rows.iterator().next(), "moved_at"));
    }

    /** To CLOSED: no sign-in any more; what names the account's new identity stays. */
    public Uni<Void> close(SqlConnection c, long accountId) {
        return c.preparedQuery("UPDATE accounts SET state = 'CLOSED' WHERE id = $1")
                .execute(Tuple.of(accountId))
                .replaceWithVoid();
    }
}
