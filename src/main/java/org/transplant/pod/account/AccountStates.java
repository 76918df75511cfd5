package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.transplant.pod.database.Rows;

/**
 * The moves of an account through its {@link AccountState}s, each in the transaction of the feature that causes it
 * (an import, a move, a deletion), so that the state changes together with that feature's own rows.
 */
@ApplicationScoped
public class AccountStates {

    /** An account as a move sees it under its row lock: who, in which state, where it went, how far it changed. */
    public record Locked(
            String username,
            AccountState state,
            String movedTo,
            long lastSeq,
            String privateKeySealed,
            Instant holdUntil,
            Long holdGrantId,
            int holdsTaken,
            Instant holdsSince) {}

    /**
     * Locks the account's row in {@code c}'s transaction until it ends (writes to its content wait, as they take
     * change sequence numbers from this row) and answers what a move checks; null when there is no such account.
     */
    public Uni<Locked> lock(SqlConnection c, long accountId) {
        // NO KEY UPDATE, as every write's change sequence takes it: FOR UPDATE would also wait for rows that merely
        // reference the account (a notification being inserted), a wait no write needs.
        return c.preparedQuery("SELECT username, state, moved_to, last_seq, private_key_pem, hold_until,"
                        + " hold_grant_id, holds_taken, holds_since FROM accounts WHERE id = $1 FOR NO KEY UPDATE")
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
                            row.getString("private_key_pem"),
                            row.getOffsetDateTime("hold_until") == null
                                    ? null
                                    : row.getOffsetDateTime("hold_until").toInstant(),
                            row.getLong("hold_grant_id"),
                            row.getInteger("holds_taken"),
                            row.getOffsetDateTime("holds_since") == null
                                    ? null
                                    : row.getOffsetDateTime("holds_since").toInstant());
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

    /**
     * ACTIVE to MOVING: the account an import fills takes no content of its own meanwhile. An account whose hold has
     * lapsed is active (its hold ended by itself), measured by the database's clock as batch writes measure it.
     */
    public Uni<Void> startMoving(SqlConnection c, long accountId) {
        return c.preparedQuery("UPDATE accounts SET state = 'MOVING', hold_until = NULL WHERE id = $1"
                        + " AND (state = 'ACTIVE' OR (state = 'HOLD' AND hold_until <= now()))")
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
     * ACTIVE to HOLD until {@code until}: the account takes no writes while the new pod of its move (the client of
     * grant {@code grantId}) copies the last changes; the hold lapses by itself after {@code until}. Holds are counted
     * on the account, whichever grant asks: returns how many it has taken since the first hold of the period that
     * began after {@code periodStart} (this one included; a hold after that period starts a new count at {@code now}).
     */
    public Uni<Integer> hold(
            SqlConnection c, long accountId, long grantId, Instant now, Instant until, Instant periodStart) {
        String inPeriod = "holds_since IS NOT NULL AND holds_since > $5";
        return c.preparedQuery("UPDATE accounts SET state = 'HOLD', hold_until = $3, hold_grant_id = $2,"
                        + " holds_taken = CASE WHEN " + inPeriod + " THEN holds_taken + 1 ELSE 1 END,"
                        + " holds_since = CASE WHEN " + inPeriod + " THEN holds_since ELSE $4 END"
                        + " WHERE id = $1 AND state IN ('ACTIVE', 'HOLD') RETURNING holds_taken")
                .execute(Tuple.of(
                        accountId,
                        grantId,
                        until.atOffset(ZoneOffset.UTC),
                        now.atOffset(ZoneOffset.UTC),
                        periodStart.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    /** HOLD back to ACTIVE at once, if grant {@code grantId} started the hold: the move it waited for was called off. */
    public Uni<Void> release(SqlConnection c, long accountId, long grantId) {
        return c.preparedQuery("UPDATE accounts SET state = 'ACTIVE', hold_until = NULL WHERE id = $1"
                        + " AND state = 'HOLD' AND hold_grant_id = $2")
                .execute(Tuple.of(accountId, grantId))
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
                                + " moved_to_post_url = $4, moved_to_photo_url = $5, moved_at = now(), hold_until = NULL WHERE id = $1 RETURNING moved_at")
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
