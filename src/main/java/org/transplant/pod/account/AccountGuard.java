package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.transplant.web.ProblemException;
import org.transplant.web.RetryLater;

/**
 * Stops writes to an account that takes none: a moved account says where its person went (409), one held for the
 * last moments of its move asks to be tried again (503 with Retry-After). The check is {@link ChangeSequence}'s, made
 * under the account's row lock in the write's own transaction, so a move cannot slip in between check and write.
 */
@ApplicationScoped
public class AccountGuard {

    private final ChangeSequence sequence;

    public AccountGuard(ChangeSequence sequence) {
        this.sequence = sequence;
    }

    /** Locks the account until the transaction ends and refuses unless it takes writes; call it inside one. */
    public Uni<Void> requireActive(long accountId) {
        return sequence.requireOpen(accountId);
    }

    /**
     * The refusal of a write to the account {@code username} in {@code state}; {@code holdLeft} is what is left of a
     * hold. The account is named: a friend's comment or message is refused because of someone else's account.
     */
    static ProblemException refusal(AccountState state, String username, String movedTo, Duration holdLeft) {
        return switch (state) {
            case HOLD -> held(holdLeft);
            case MOVED, MOVING ->
                ProblemException.conflict(
                        "account-moved",
                        movedTo == null
                                ? "The account " + username + " is moving to another pod and takes no new content"
                                : "The account " + username + " moved to " + movedTo + " and takes no new content");
            case CLOSED -> ProblemException.conflict("account-closed", "The account " + username + " is closed");
            // Not reached: an active account takes the write. Said plainly in case the states change.
            case ACTIVE -> ProblemException.conflict("account-busy", "This account takes no writes right now");
        };
    }

    /** 503 while the account's move copies its last changes; the hold is short and bounded. */
    static RetryLater held(Duration holdLeft) {
        return new RetryLater(
                "account-moving",
                "This account is moving to another pod; try again in a minute",
                holdLeft.isNegative() || holdLeft.isZero() ? Duration.ofSeconds(1) : holdLeft);
    }
}
