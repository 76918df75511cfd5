package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.oidc.authorize.GrantStore;
import org.transplant.pod.account.AccountState;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.session.SessionService;
import org.transplant.web.ProblemException;

/**
 * What is left to the owner of a moved account on the old pod: deleting it. Its old copies are purged at once (as
 * the retention period would), the account is closed (no sign-in, no sessions, no tokens), and the redirects, the
 * old-to-new map and the WebFinger entry naming the new identity stay: old links keep leading to the new pod.
 */
@ApplicationScoped
public class MovedAccountDeletion {

    private final Pool pool;
    private final SessionService sessions;
    private final MovedAccountPurge purge;
    private final GrantStore grants;
    private final AccountStates states;

    public MovedAccountDeletion(
            Pool pool, SessionService sessions, MovedAccountPurge purge, GrantStore grants, AccountStates states) {
        this.pool = pool;
        this.sessions = sessions;
        this.purge = purge;
        this.grants = grants;
        this.states = states;
    }

    /**
     * Deletes the moved account {@code accountId} if {@code password} is its password. Wrong passwords count as
     * failed log-ins of the account and of {@code clientAddress} (throttled alike).
     */
    public Uni<Void> delete(long accountId, String password, String clientAddress) {
        return sessions.checkPassword(accountId, password, clientAddress)
                .invoke(matches -> {
                    if (!matches) {
                        throw ProblemException.forbidden("wrong-password", "That is not this account's password");
                    }
                })
                .chain(() -> states.stateOf(pool, accountId))
                .invoke(state -> {
                    if (state != AccountState.MOVED) {
                        throw ProblemException.conflict(
                                "account-not-moved",
                                "Only an account that moved to"
                                        + " another pod can be deleted here; its new pod keeps everything");
                    }
                })
                .chain(() -> purge.purge(accountId))
                .chain(() -> pool.withTransaction(c -> states.close(c, accountId)
                        .chain(() -> sessions.signOutEverywhere(c, accountId))
                        .chain(() -> grants.revokeAll(c, accountId))))
                .replaceWithVoid();
    }
}
