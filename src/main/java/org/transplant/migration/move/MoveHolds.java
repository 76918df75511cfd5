package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.account.AccountState;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.account.AccountStates.Locked;
import org.transplant.web.ProblemException;
import org.transplant.web.RetryLater;

/**
 * The old pod's hold on a busy account's writes, so that a move ends in bounded time however often the person or
 * their friends write: a move asked while changes are pending answers {@code changes-pending} and holds the
 * account's writes (state HOLD, writes answer 503 with Retry-After) for at most the window, while the new pod copies
 * the delta; its next move call then finds nothing new and moves. A hold that is not followed by the move lapses by
 * itself (the first write after it finds the account active again).
 *
 * <p>Only the client whose grant the move token belongs to can start a hold or end it with the move, and the account
 * is held at most {@link #MAX_HOLDS} times in a {@link #HOLD_PERIOD} counted from its first hold, whichever grants
 * ask: the apps the person authorized, together, can keep their writes waiting for at most {@code MAX_HOLDS} windows
 * a day (3 minutes with the default of 60 s), never for ever (taking turns with two grants gains nothing).
 */
@ApplicationScoped
class MoveHolds {

    static final int MAX_HOLDS = 3;

    /** The period in which an account's writes are held at most {@link #MAX_HOLDS} times, counted from the first. */
    static final Duration HOLD_PERIOD = Duration.ofHours(24);

    private final Duration window;
    private final AccountStates states;

    MoveHolds(TransplantConfig config, AccountStates states) {
        this.window = config.moveHold();
        this.states = states;
    }

    /** Whether the account row (read for the move) is held at {@code now}. */
    static boolean heldAt(Locked account, Instant now) {
        Instant until = account.holdUntil();
        return account.state() == AccountState.HOLD && until != null && until.isAfter(now);
    }

    /** The move of another authorization waits for the hold to end (it ends within the window). */
    static RetryLater heldByAnother(Locked account, Instant now) {
        return new RetryLater(
                "account-moving",
                "Another move of this account is finishing; try again in a minute",
                Duration.between(now, account.holdUntil()));
    }

    /**
     * The answer to a move while changes after {@code seenSeq} are pending, after holding the account's writes if
     * the account may still be held (whichever grant asks); the hold is written in the caller's transaction.
     */
    Uni<ProblemException> pending(
            SqlConnection conn, long accountId, long grantId, Locked account, long seenSeq, Instant now) {
        long lastSeq = account.lastSeq();
        String copy = "This account changed after sequence " + seenSeq + " (now " + lastSeq
                + "); copy those changes, then move with seenSeq " + lastSeq;
        if (heldAt(account, now)) {
            // Held already by this grant: the new pod has not copied the delta yet. The hold is not extended.
            return Uni.createFrom().item(pending(copy + ". Its writes are held until " + account.holdUntil()));
        }
        Instant periodStart = now.minus(HOLD_PERIOD);
        Instant since = account.holdsSince();
        int taken = since != null && since.isAfter(periodStart) ? account.holdsTaken() : 0;
        if (taken >= MAX_HOLDS) {
            return Uni.createFrom()
                    .item(pending(copy + ". This account has used its " + MAX_HOLDS + " holds of its writes since "
                            + since + ", so they go on meanwhile"));
        }
        Instant until = now.plus(window);
        return states.hold(conn, accountId, grantId, now, until, periodStart)
                .map(held -> pending(copy + ". Its writes are held until " + until + " (hold " + held + " of "
                        + MAX_HOLDS + "), so nothing changes meanwhile"));
    }

    private static ProblemException pending(String detail) {
        return ProblemException.conflict("changes-pending", detail);
    }
}
