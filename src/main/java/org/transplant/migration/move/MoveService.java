package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import org.transplant.federation.MoveOutbox;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.migration.api.MoveRequest;
import org.transplant.migration.api.MoveResult;
import org.transplant.oidc.authorize.GrantStore;
import org.transplant.oidc.authorize.GrantStore.MoveGrant;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountState;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.account.AccountStates.Locked;
import org.transplant.web.ProblemException;
import org.transplant.web.WallClock;

/**
 * The old pod's side of finishing a move: checks that the move goes where the person consented to (the new handle
 * and URLs on the host of the app they authorized, the nonce of that authorization, nothing changed since the new
 * pod's last copy), then in one transaction marks the account MOVED, remembers where it went, revokes every
 * token of the grant (the new pod needs none of them after this) and queues the signed move notice for the pods
 * of the person's contacts.
 */
@ApplicationScoped
public class MoveService {

    private final Pool pool;
    private final PodUrls urls;
    private final MoveOutbox outbox;
    private final GrantStore grants;
    private final AccountStates states;
    private final MoveHolds holds;
    private final WallClock clock;

    public MoveService(
            Pool pool,
            PodUrls urls,
            MoveOutbox outbox,
            GrantStore grants,
            AccountStates states,
            MoveHolds holds,
            WallClock clock) {
        this.pool = pool;
        this.holds = holds;
        this.clock = clock;
        this.urls = urls;
        this.outbox = outbox;
        this.grants = grants;
        this.states = states;
    }

    /**
     * Finishes the move of the token's account; the request has passed {@link MoveRequestRules}. When changes are
     * pending, the answer is {@code changes-pending}, and the account's writes are held (HOLD) for at most the
     * configured window so that the new pod's next call, after copying them, finds nothing new and moves.
     */
    public Uni<MoveResult> move(long accountId, String tokenId, MoveRequest request) {
        // NO KEY UPDATE, as every write's change sequence takes it: FOR UPDATE would also wait for rows that merely
        // reference the account (a notification being inserted), a wait no write needs.
        return pool.withTransaction(conn -> states.lock(conn, accountId)
                        .chain(account -> grants.moveGrantOf(conn, tokenId).chain(grant -> {
                            Instant now = clock.now();
                            check(account, grant, request, now);
                            long lastSeq = account.lastSeq();
                            if (request.seenSeq() != null && request.seenSeq() < lastSeq) {
                                return holds.pending(conn, accountId, grant.grantId(), account, request.seenSeq(), now)
                                        .map(Outcome::refused);
                            }
                            return finish(conn, accountId, account, grant, request)
                                    .map(Outcome::moved);
                        })))
                // A refusal that holds the account's writes must commit the hold, so it is thrown only here.
                .map(Outcome::resultOrThrow);
    }

    /** What the move transaction ends with: the move done, or a refusal to answer after it committed. */
    private record Outcome(MoveResult result, ProblemException refusal) {
        static Outcome moved(MoveResult result) {
            return new Outcome(result, null);
        }

        static Outcome refused(ProblemException refusal) {
            return new Outcome(null, refusal);
        }

        MoveResult resultOrThrow() {
            if (refusal != null) {
                throw refusal;
            }
            return result;
        }
    }

    /**
     * Calls a move off before it finished: a hold the grant started ends at once, then the grant ends with every
     * token the new pod holds.
     */
    public Uni<Void> abort(long accountId, String tokenId) {
        return pool.withTransaction(conn -> grants.moveGrantOf(conn, tokenId)
                        .chain(grant -> grant == null
                                ? Uni.createFrom().voidItem()
                                : states.release(conn, accountId, grant.grantId())))
                .chain(() -> grants.revokeGrantOfToken(tokenId));
    }

    private Uni<MoveResult> finish(
            SqlConnection conn, long accountId, Locked account, MoveGrant grant, MoveRequest request) {
        Handle newHandle = Handle.parse("newHandle", request.newHandle());
        return states.markMoved(
                        conn,
                        accountId,
                        newHandle.toString(),
                        request.profileUrl(),
                        request.postUrl(),
                        request.photoUrl())
                .chain(movedAt -> grants.revokeGrant(conn, grant.grantId())
                        .chain(() -> outbox.enqueue(
                                conn,
                                new MoveOutbox.Move(
                                        accountId,
                                        account.username(),
                                        account.privateKeySealed(),
                                        newHandle,
                                        request.newPublicKey(),
                                        request.profileUrl(),
                                        movedAt)))
                        .map(noticesUrl -> new MoveResult(
                                MigrationFormat.VERSION,
                                urls.handleOf(account.username()),
                                newHandle.toString(),
                                movedAt,
                                noticesUrl)));
    }

    private static void check(Locked account, MoveGrant grant, MoveRequest request, Instant now) {
        AccountState state = account.state();
        if (state == AccountState.MOVED) {
            throw ProblemException.conflict(
                    "already-moved", "This account already moved to " + account.movedTo() + "; it cannot move again");
        }
        if (state != AccountState.ACTIVE && state != AccountState.HOLD) {
            throw ProblemException.conflict(
                    "account-not-active",
                    "This account is " + state.name().toLowerCase(Locale.ROOT) + " and cannot move");
        }
        String nonce = grant == null ? null : grant.moveNonce();
        if (nonce == null
                || !MessageDigest.isEqual(
                        nonce.getBytes(StandardCharsets.UTF_8), request.nonce().getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden(
                    "move-nonce-mismatch", "The nonce is not the one this authorization handed out");
        }
        // Only the host the consent page showed the person: a client may list other hosts among its redirect URIs,
        // but the person agreed to be sent to this one.
        String host = Handle.parse("newHandle", request.newHandle()).host().toLowerCase(Locale.ROOT);
        String consentedHost = grant == null ? null : grant.consentedHost();
        if (consentedHost == null || !consentedHost.equals(host)) {
            throw ProblemException.forbidden(
                    "move-destination-mismatch",
                    consentedHost == null
                            ? "This authorization names no host the person agreed to; ask them to authorize the move again"
                            : "The person agreed to be sent back to " + consentedHost + "; a move to " + host
                                    + " is not what they allowed");
        }
        requireUrlsOn(host, request);
        // A hold another authorization's move started: only that client ends it; it lapses within the window.
        if (MoveHolds.heldAt(account, now) && !Long.valueOf(grant.grantId()).equals(account.holdGrantId())) {
            throw MoveHolds.heldByAnother(account, now);
        }
    }

    /** Every new URL of {@code request} on {@code host}, the new handle's: no move sends visitors elsewhere. */
    static void requireUrlsOn(String host, MoveRequest request) {
        for (String url : new String[] {request.profileUrl(), request.postUrl(), request.photoUrl()}) {
            if (url != null && !host.equals(hostOf(URI.create(url.replace("{guid}", "g"))))) {
                throw ProblemException.forbidden(
                        "move-destination-mismatch", "Every new URL must be on " + host + ": " + url);
            }
        }
    }

    /** host[:port] as handles spell it. */
    static String hostOf(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
    }
}
