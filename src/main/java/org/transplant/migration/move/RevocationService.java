package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.migration.api.Revocation;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountState;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.account.MovedAway;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * The old pod's side of a move made from an archive: a revocation signed with the account's own key closes it and
 * sends its old URLs to the new ones, as a move between live pods does, unless the account changed since the
 * archive's snapshot and the person did not choose to lose those changes. The new pod tells the contacts' pods
 * itself once this closed the account (from the contacts the archive held), so no notice is queued here.
 */
@ApplicationScoped
public class RevocationService {

    private final Pool pool;
    private final PodUrls urls;
    private final Accounts accounts;
    private final AccountStates states;
    private final WorkerPool workers;
    private final IssuedArchives archives;
    private final MovedAway movedAway;

    public RevocationService(
            Pool pool,
            PodUrls urls,
            Accounts accounts,
            AccountStates states,
            WorkerPool workers,
            IssuedArchives archives,
            MovedAway movedAway) {
        this.movedAway = movedAway;
        this.archives = archives;
        this.pool = pool;
        this.urls = urls;
        this.accounts = accounts;
        this.states = states;
        this.workers = workers;
    }

    /** Closes the account {@code jws} names, if its key signed it; answers the move as {@code /move} does. */
    public Uni<Closing> revoke(String jws) {
        Handle claimed = Revocation.claimedAccount(jws);
        String username = urls.localUsername(claimed);
        if (username == null) {
            throw ProblemException.notFound("The account " + claimed);
        }
        return accounts.publicByUsername(username)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The account " + claimed))
                .chain(account -> workers.run(
                                () -> Revocation.verify(jws, KeyPairs.parsePublicKey(account.publicKeyPem())))
                        .invoke(revocation -> {
                            MoveRequestRules.check(revocation.move());
                            Handle newHandle =
                                    Handle.parse("movedTo", revocation.move().newHandle());
                            MoveService.requireUrlsOn(newHandle.host().toLowerCase(Locale.ROOT), revocation.move());
                        })
                        .call(revocation -> archives.issued(account.id(), revocation.archive())
                                .invoke(issued -> {
                                    if (!issued) {
                                        throw new ProblemException(Problem.of(
                                                403,
                                                "archive-not-issued",
                                                "Forbidden",
                                                "This pod wrote no such archive of the account, or its owner"
                                                        + " removed it"));
                                    }
                                }))
                        .chain(revocation -> close(account.id(), revocation)));
    }

    /** The account closed by a revocation (now, or already by an earlier one), and the answer the new pod reads. */
    public record Closing(long accountId, Revocation.Closed answer, boolean now) {}

    private Uni<Closing> close(long accountId, Revocation revocation) {
        return pool.withTransaction(conn -> states.lock(conn, accountId).chain(account -> {
            if (account.state() == AccountState.MOVED
                    && revocation.move().newHandle().equalsIgnoreCase(account.movedTo())) {
                // Sent again (a second click, a retried finish): it is done already, to the same place.
                return movedAway
                        .of(accountId)
                        .map(moved -> new Closing(
                                accountId,
                                new Revocation.Closed(
                                        MigrationFormat.VERSION,
                                        urls.handleOf(account.username()),
                                        account.movedTo(),
                                        moved.movedAt()),
                                false));
            }
            if (account.state() == AccountState.MOVED) {
                throw ProblemException.conflict("already-moved", "This account already moved; it cannot move again");
            }
            if (account.state() != AccountState.ACTIVE && account.state() != AccountState.HOLD) {
                throw ProblemException.conflict(
                        "account-not-active",
                        "This account is " + account.state().name().toLowerCase(Locale.ROOT) + " and cannot move");
            }
            if (account.lastSeq() > revocation.move().seenSeq() && !revocation.closeDespiteNewer()) {
                throw new ProblemException(Problem.of(
                        409,
                        "newer-changes",
                        "Newer changes",
                        "This account changed after the archive was made; closing it would lose those changes"));
            }
            return states.markMoved(
                            conn,
                            accountId,
                            revocation.move().newHandle(),
                            revocation.move().profileUrl(),
                            revocation.move().postUrl(),
                            revocation.move().photoUrl())
                    .map(movedAt -> new Closing(
                            accountId,
                            new Revocation.Closed(
                                    MigrationFormat.VERSION,
                                    urls.handleOf(account.username()),
                                    revocation.move().newHandle(),
                                    movedAt),
                            true));
        }));
    }
}
