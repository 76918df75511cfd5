package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.pod.contact.MovedIdentity;

/**
 * Applies a verified move notice to this pod, in one transaction: the old identity is recorded as moved, and every
 * local account's contact with it becomes a contact with the new identity (following, follower and blocked carry
 * over; a contact the account already had with the new identity is merged, flags and aspects together). What this
 * pod holds from the old identity (comments, likes, messages, conversations, notifications) is attributed to the
 * new one ({@link MovedIdentity} does this part, in the same transaction).
 */
@ApplicationScoped
public class ContactRepointing {

    private final Pool pool;
    private final MovedIdentity identities;

    public ContactRepointing(Pool pool, MovedIdentity identities) {
        this.pool = pool;
        this.identities = identities;
    }

    /** How many local accounts' contacts now point at the new identity; null if the notice was applied already. */
    public Uni<Integer> apply(MoveNotice notice, String oldPublicKeyPem) {
        String oldHandle = notice.oldHandle().toString();
        String newHandle = notice.newHandle().toString();
        return pool.withTransaction(c -> c.preparedQuery("INSERT INTO moved_people (old_handle, new_handle,"
                        + " new_public_key_pem, old_public_key_pem, notice_id, moved_at) VALUES ($1, $2, $3, $4, $5::uuid, $6)"
                        + " ON CONFLICT DO NOTHING RETURNING 1")
                .execute(Tuple.of(
                        oldHandle,
                        newHandle,
                        notice.newPublicKeyPem(),
                        oldPublicKeyPem,
                        notice.id(),
                        notice.movedAt().atOffset(ZoneOffset.UTC)))
                .chain(inserted -> !inserted.iterator().hasNext()
                        ? Uni.createFrom().nullItem()
                        : identities.repoint(c, oldHandle, newHandle, notice.newPublicKeyPem())));
    }
}
