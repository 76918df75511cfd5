package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
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
