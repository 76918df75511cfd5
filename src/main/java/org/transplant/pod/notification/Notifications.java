package org.transplant.pod.notification;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.account.ChangeSequence;

/** Tells a local account that someone acted on its content; nobody is notified of their own actions. */
@ApplicationScoped
public class Notifications {

    private final ChangeSequence sequence;

    public Notifications(ChangeSequence sequence) {
        this.sequence = sequence;
    }

    /**
     * Writes a notification for the owner; the caller's transaction has already taken the owner's account (with its
     * change sequence), so a notification never reaches an account that moved.
     */
    public Uni<Void> notifyOwner(long ownerId, long actorId, String kind, String actorHandle, String targetGuid) {
        if (ownerId == actorId) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO notifications (account_id, kind, actor_handle, target_guid) VALUES (?1, ?2, ?3, ?4)")
                        .setParameter(1, ownerId)
                        .setParameter(2, kind)
                        .setParameter(3, actorHandle)
                        .setParameter(4, targetGuid)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Marks all of an account's notifications read; the number marked. */
    public Uni<Integer> markAllRead(long accountId) {
        // The read flags are the account's content too: they wait for, or are refused by, its move like any write.
        return Panache.withTransaction(() -> sequence.next(accountId)
                .chain(Panache::getSession)
                .chain(session -> session.createNativeQuery(
                                "UPDATE notifications SET unread = FALSE WHERE account_id = ?1 AND unread")
                        .setParameter(1, accountId)
                        .executeUpdate()));
    }
}
