package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.transplant.web.ProblemException;
import org.transplant.web.WallClock;

/**
 * Hands out an account's change sequence numbers, and is the one place where a write learns whether the account
 * takes writes at all. Each write to an account's content takes the next number in its own transaction with one
 * statement that also checks the account's state and row-locks the account until commit:
 *
 * <ul>
 *   <li>a move (which takes the same row lock) either comes first, and the write then finds the account held or
 *       moved and writes nothing, or comes after, and then sees the write's number as a change still to copy;
 *   <li>an export can read "everything up to S" and later "everything after S" without losing a write in between.
 * </ul>
 *
 * A write that touches several accounts (a comment on another's post, a message to a conversation, a follow between
 * two local people) takes all their rows first, in ascending account id, so that two such writes wait for each
 * other instead of deadlocking. Entity writes use the Panache session; batch writers (the synthetic content, the
 * importer, a move notice repointing contacts) pass the connection of their own transaction.
 */
@ApplicationScoped
public class ChangeSequence {

    /** Where a person's own write may go: an active account, or one whose hold has lapsed (it is active again). */
    private static final String OPEN_TO_PEOPLE = "(state = 'ACTIVE' OR (state = 'HOLD' AND hold_until <= ?3))";

    /**
     * Where a batch writer may write: also an account an import is filling (MOVING, on the new pod). The hold is
     * measured by the database's clock here; the two clocks are the same outside tests.
     */
    private static final String OPEN_TO_BATCHES =
            "(state IN ('ACTIVE', 'MOVING') OR (state = 'HOLD' AND hold_until <= now()))";

    /** A lapsed hold ends with the first write that finds it: no scheduler has to end it. */
    private static final String TAKE = "last_seq = last_seq + ?1, state = CASE WHEN state = 'HOLD' THEN 'ACTIVE'"
            + " ELSE state END, hold_until = NULL";

    private final WallClock clock;

    public ChangeSequence(WallClock clock) {
        this.clock = clock;
    }

    /** The next number for one change. */
    public Uni<Long> next(long accountId) {
        return reserve(accountId, 1);
    }

    /**
     * Locks the account for the rest of the transaction and checks that it takes writes, without taking a number:
     * for a write that changes someone else's content (a comment's author) or nothing that is exported.
     */
    public Uni<Void> requireOpen(long accountId) {
        return reserve(accountId, 0).replaceWithVoid();
    }

    /** Reserves {@code count} numbers and returns the highest; the range is (highest - count, highest]. */
    public Uni<Long> reserve(long accountId, long count) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "UPDATE accounts SET " + TAKE + " WHERE id = ?2 AND " + OPEN_TO_PEOPLE
                                        + " RETURNING last_seq",
                                Long.class)
                        .setParameter(1, count)
                        .setParameter(2, accountId)
                        .setParameter(3, clock.now().atOffset(ZoneOffset.UTC))
                        .getResultList())
                .chain(taken -> taken.isEmpty()
                        ? refusal(accountId).map(ignored -> 0L)
                        : Uni.createFrom().item(taken.get(0)));
    }

    /**
     * The next number of an account that is not the writer's own, or null when it takes no writes now (held,
     * moving, moved, closed): a write that only mirrors the writer's change onto the other account (a block, an
     * unfollow) must never depend on that account's state, so its side is left as it is.
     */
    public Uni<Long> nextIfOpen(long accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "UPDATE accounts SET " + TAKE + " WHERE id = ?2 AND " + OPEN_TO_PEOPLE
                                        + " RETURNING last_seq",
                                Long.class)
                        .setParameter(1, 1L)
                        .setParameter(2, accountId)
                        .setParameter(3, clock.now().atOffset(ZoneOffset.UTC))
                        .getResultList())
                .map(taken -> taken.isEmpty() ? null : taken.get(0));
    }

    /**
     * Reserves numbers of several accounts, taking their rows in ascending id order, and returns each account's
     * highest; a count of 0 only locks and checks. Refused as a whole when any of them takes no writes.
     */
    public Uni<Map<Long, Long>> reserveInOrder(Map<Long, Long> counts) {
        Map<Long, Long> highest = new TreeMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<Long, Long> entry : new TreeMap<>(counts).entrySet()) {
            chain = chain.chain(() -> reserve(entry.getKey(), entry.getValue()))
                    .invoke(seq -> highest.put(entry.getKey(), seq))
                    .replaceWithVoid();
        }
        return chain.map(done -> highest);
    }

    /**
     * The next number of {@code ownerId} for a write by {@code actorId} to the owner's content (a comment, a like), the
     * actor's account locked and checked too, both in ascending id order.
     */
    public Uni<Long> nextBy(long ownerId, long actorId) {
        Map<Long, Long> counts = new TreeMap<>();
        counts.put(actorId, 0L);
        counts.put(ownerId, 1L);
        return reserveInOrder(counts).map(highest -> highest.get(ownerId));
    }

    /**
     * Why an account took no write, as the problem its writer gets: held for a moment (503, try again), moved or
     * closed (409), or not there (404).
     */
    private Uni<Void> refusal(long accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT state, username, moved_to,"
                                + " CAST(ceil(extract(epoch FROM (hold_until - ?2))) AS bigint)"
                                + " FROM accounts WHERE id = ?1")
                        .setParameter(1, accountId)
                        .setParameter(2, clock.now().atOffset(ZoneOffset.UTC))
                        .getResultList())
                .invoke(rows -> {
                    List<?> found = rows;
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("This account");
                    }
                    Object[] row = (Object[]) found.get(0);
                    Number holdSeconds = (Number) row[3];
                    throw AccountGuard.refusal(
                            AccountState.valueOf((String) row[0]),
                            (String) row[1],
                            (String) row[2],
                            holdSeconds == null ? Duration.ZERO : Duration.ofSeconds(holdSeconds.longValue()));
                })
                .replaceWithVoid();
    }

    /**
     * Reserves {@code count} numbers in the transaction of {@code connection} and returns the first; the range is
     * [first, first + count). Refused like a person's write when the account takes no writes.
     */
    public static Uni<Long> reserveFirst(SqlConnection connection, long accountId, long count) {
        return connection
                .preparedQuery("UPDATE accounts SET " + dollar(TAKE) + " WHERE id = $2 AND " + OPEN_TO_BATCHES
                        + " RETURNING last_seq")
                .execute(Tuple.of(count, accountId))
                .chain(rows -> rows.iterator().hasNext()
                        ? Uni.createFrom().item(rows.iterator().next().getLong(0) - count + 1)
                        : batchRefusal(connection, accountId));
    }

    /**
     * Reserves {@code count} numbers of each account in the transaction of {@code connection}, taking the rows in
     * ascending id order, and returns each account's highest; each range is (highest - count, highest]. Accounts that
     * do not exist, moved or closed are left out (their content is frozen); one held for its move makes the whole
     * write wait (503), so that its move copies the change.
     */
    public static Uni<Map<Long, Long>> reserveEach(SqlConnection connection, Collection<Long> accountIds, long count) {
        Long[] ids = new TreeSet<>(accountIds).toArray(Long[]::new);
        return connection
                .preparedQuery("SELECT id, state = 'HOLD' AND hold_until > now() AS held,"
                        + " CAST(ceil(extract(epoch FROM (hold_until - now()))) AS bigint) AS wait"
                        + " FROM accounts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
                .execute(Tuple.of(ids))
                .chain(locked -> {
                    for (Row row : locked) {
                        if (Boolean.TRUE.equals(row.getBoolean("held"))) {
                            throw AccountGuard.held(Duration.ofSeconds(row.getLong("wait")));
                        }
                    }
                    return connection
                            .preparedQuery("UPDATE accounts SET " + dollar(TAKE) + " WHERE id = ANY($2) AND "
                                    + OPEN_TO_BATCHES + " RETURNING id, last_seq")
                            .execute(Tuple.of(count, ids));
                })
                .map(rows -> {
                    Map<Long, Long> highest = new LinkedHashMap<>();
                    for (Row row : rows) {
                        highest.put(row.getLong(0), row.getLong(1));
                    }
                    return highest;
                });
    }

    private static Uni<Long> batchRefusal(SqlConnection connection, long accountId) {
        return connection
                .preparedQuery("SELECT state, username, moved_to,"
                        + " CAST(ceil(extract(epoch FROM (hold_until - now()))) AS bigint)"
                        + " FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("This account");
                    }
                    Row row = rows.iterator().next();
                    Long wait = row.getLong(3);
                    throw AccountGuard.refusal(
                            AccountState.valueOf(row.getString(0)),
                            row.getString(1),
                            row.getString(2),
                            wait == null ? Duration.ZERO : Duration.ofSeconds(wait));
                });
    }

    /** The same statement for the reactive client, whose parameters are $n. */
    private static String dollar(String sql) {
        return sql.replace("?", "$");
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
