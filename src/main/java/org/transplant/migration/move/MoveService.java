package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

    public MoveService(Pool pool, PodUrls urls, MoveOutbox outbox, GrantStore grants, AccountStates states) {
        this.pool = pool;
        this.urls = urls;
        this.outbox = outbox;
        this.grants = grants;
        this.states = states;
    }

    /** Finishes the move of the token's account; the request has passed {@link MoveRequestRules}. */
    public Uni<MoveResult> move(long accountId, String tokenId, MoveRequest request) {
        return pool.withTransaction(conn -> states.lock(conn, accountId)
                .chain(account -> grants.moveGrantOf(conn, tokenId).chain(grant -> {
                    check(account, grant, request);
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
                })));
    }

    private static void check(Locked account, MoveGrant grant, MoveRequest request) {
        AccountState state = account.state();
        if (state == AccountState.MOVED) {
            throw ProblemException.conflict(
                    "already-moved", "This account already moved to " + account.movedTo() + "; it cannot move again");
        }
        if (state != AccountState.ACTIVE) {
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
        for (String url : new String[] {request.profileUrl(), request.postUrl(), request.photoUrl()}) {
            if (url != null && !host.equals(hostOf(URI.create(url.replace("{guid}", "g"))))) {
                throw ProblemException.forbidden(
                        "move-destination-mismatch", "Every new URL must be on " + host + ": " + url);
            }
        }
        long lastSeq = account.lastSeq();
        if (request.seenSeq() != null && request.seenSeq() < lastSeq) {
            throw ProblemException.conflict(
                    "changes-pending",
                    "This account changed after sequence "
                            + request.seenSeq() + " (now " + lastSeq + "); copy those changes, then move with seenSeq "
                            + lastSeq);
        }
    }

    /** host[:port] as handles spell it. */
    static String hostOf(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
    }
}
