package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands out an account's change sequence numbers. Each write to an account's content takes the next number in
 * the same transaction, which also row-locks the account until commit: an export can then read "everything up to
 * S" and later "everything after S" without losing a write in between. This is the only place that takes numbers:
 * entity writes use the Panache session, batch writers (the synthetic content, the importer, a move notice
 * repointing contacts) pass the connection of their own transaction.
 */
@ApplicationScoped
public class ChangeSequence {

    /** The next number for one change. */
    public Uni<Long> next(long accountId) {
        return reserve(accountId, 1);
    }

    /** Reserves {@code count} numbers and returns the highest; the range is (highest - count, highest]. */
    public Uni<Long> reserve(long accountId, long count) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "UPDATE accounts SET last_seq = last_seq + ?1 WHERE id = ?2 RETURNING last_seq",
                                Long.class)
                        .setParameter(1, count)
                        .setParameter(2, accountId)
                        .getSingleResult());
    }

    /**
     * Reserves {@code count} numbers in the transaction of {@code connection} and returns the first; the range is
     * [first, first + count).
     */
    public static Uni<Long> reserveFirst(SqlConnection connection, long accountId, long count) {
        return connection
                .preparedQuery("UPDATE accounts SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq")
                .execute(Tuple.of(accountId, count))
                .map(rows -> rows.iterator().next().getLong(0) - count + 1);
    }

    /**
     * Reserves {@code count} numbers of each account in the transaction of {@code connection} and returns each
     * account's highest; each range is (highest - count, highest]. Accounts that do not exist are left out.
     */
    public static Uni<Map<Long, Long>> reserveEach(SqlConnection connection, Collection<Long> accountIds, long count) {
        return connection
                .preparedQuery(
                        "UPDATE accounts SET last_seq = last_seq + $2 WHERE id = ANY($1)" + " RETURNING id, last_seq")
                .execute(Tuple.of(accountIds.toArray(Long[]::new), count))
                .map(rows -> {
                    Map<Long, Long> highest = new LinkedHashMap<>();
                    for (Row row : rows) {
                        highest.put(row.getLong(0), row.getLong(1));
                    }
                    return highest;
                });
    }

    /** Records the deletion of a guid as a tombstone, so that a later delta carries it. */
    public Uni<Void> tombstone(long accountId, String kind, String guid) {
        return next(accountId)
                .chain(seq -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        "INSERT INTO tombstones (account_id, seq, kind, guid) VALUES (?1, ?2, ?3, ?4)")
                                .setParameter(1, accountId)
                                .setParameter(2, seq)
                                .setParameter(3, kind)
                                .setParameter(4, guid)
                                .executeUpdate()))
                .replaceWithVoid();
    }
}
