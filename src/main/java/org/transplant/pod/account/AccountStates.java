package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
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
     * ACTIVE to HOLD until {@code until}: the account takes no writes while the new pod of its move (the client of
     * grant {@code grantId}) copies the last changes; the hold lapses by itself after {@code until}. Returns how many
     * holds that grant has started, this one included.
     */
    public Uni<Integer> hold(SqlConnection c, long accountId, long grantId, Instant until) {
        return c.preparedQuery("UPDATE accounts SET state = 'HOLD', hold_until = $3, hold_grant_id = $2,"
                        + " holds_taken = CASE WHEN hold_grant_id = $2 THEN holds_taken + 1 ELSE 1 END"
                        + " WHERE id = $1 AND state IN ('ACTIVE', 'HOLD') RETURNING holds_taken")
                .execute(Tuple.of(accountId, grantId, until.atOffset(ZoneOffset.UTC)))
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
