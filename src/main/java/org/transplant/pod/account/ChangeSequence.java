package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hands out an account's change sequence numbers. Each write to an account's content takes the next number in
 * the same transaction, which also row-locks the account until commit: an export can then read "everything up to
 * S" and later "everything after S" without losing a write in between.
 */
@ApplicationScoped
public class ChangeSequence {

    /** The next number for one change. */
    public Uni<Long> next(long accountId) {
        return reserve(accountId, 1);
    }

    /** Reserves {@code count} numbers and returns the highest; the range is (highest - count, highest]. */
    public Uni<Long> reserve(long accountId, long count) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("UPDATE accounts SET last_seq = last_seq + ?1 WHERE id = ?2 RETURNING last_seq",
                        Long.class)
                .setParameter(1, count)
                .setParameter(2, accountId)
                .getSingleResult());
    }

    /** Records the deletion of a guid as a tombstone, so that a later delta carries it. */
    public Uni<Void> tombstone(long accountId, String kind, String guid) {
        return next(accountId).chain(seq -> Panache.getSession().chain(session -> session
                .createNativeQuery("INSERT INTO tombstones (account_id, seq, kind, guid) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, accountId)
                .setParameter(2, seq)
                .setParameter(3, kind)
                .setParameter(4, guid)
                .executeUpdate()))
                .replaceWithVoid();
    }
}
