package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Takes a move notice about someone this pod's users know. The notice must be signed with the key this pod already
 * holds for the old identity (or, holding none, the one the old pod's WebFinger serves); the new identity's own pod
 * must confirm it with the announced key. Then every local contact is re-pointed. A replay changes nothing; a
 * forged, expired or mismatched notice is refused and changes nothing.
 */
@ApplicationScoped
public class MoveNoticeReceiver {

    private static final Logger LOG = Logger.getLogger(MoveNoticeReceiver.class);

    /** What this pod holds about an old identity before anything is verified. */
    private record Known(boolean known, String heldKey, String movedTo, String movedNotice) {
    }

    private final Pool pool;
    private final WebFingerClient webFinger;
    private final WorkerPool workers;
    private final ContactRepointing repointing;

    public MoveNoticeReceiver(Pool pool, WebFingerClient webFinger, WorkerPool workers, ContactRepointing repointing) {
        this.pool = pool;
        this.webFinger = webFinger;
        this.workers = workers;
        this.repointing = repointing;
    }

    /** The acknowledgement: {@code status} is "accepted" or "already-applied". */
    public Uni<JsonObject> receive(String jws) {
        Handle oldHandle = MoveNoticeJws.claimedSender(jws);
        return known(oldHandle).chain(known -> {
            if (!known.known()) {
                throw new ProblemException(Problem.of(422, "unknown-identity", "Unprocessable content",
                        "Nobody on this pod knows " + oldHandle));
            }
            Uni<String> key = known.heldKey() != null ? Uni.createFrom().item(known.heldKey())
                    : keyFromWebFinger(oldHandle);
            return key.chain(pem -> workers.run(() -> MoveNoticeJws.verify(jws, KeyPairs.parsePublicKey(pem)))
                    .chain(notice -> {
                        if (known.movedTo() != null) {
                            return Uni.createFrom().item(alreadyMoved(notice, known));
                        }
                        return confirmNewIdentity(notice).chain(() -> repointing.apply(notice, pem))
                                .map(accounts -> accounts == null ? applied(notice) : accepted(notice, accounts));
                    }));
        });
    }

    private Uni<Known> known(Handle oldHandle) {
        return pool.preparedQuery("SELECT (SELECT public_key_pem FROM contacts WHERE handle = $1"
                + " AND public_key_pem IS NOT NULL ORDER BY created_at DESC LIMIT 1),"
                + " EXISTS (SELECT 1 FROM contacts WHERE handle = $1) OR EXISTS (SELECT 1 FROM comments"
                + " WHERE author_handle = $1) OR EXISTS (SELECT 1 FROM likes WHERE author_handle = $1)"
                + " OR EXISTS (SELECT 1 FROM conversation_participants WHERE handle = $1),"
                + " m.new_handle, m.notice_id::text, m.old_public_key_pem"
                + " FROM (SELECT 1) one LEFT JOIN moved_people m ON m.old_handle = $1")
                .execute(Tuple.of(oldHandle.toString()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    String movedTo = row.getString(2);
                    // Once moved, no contact holds the old key any more: the notice that moved it kept it.
                    return movedTo != null ? new Known(true, row.getString(4), movedTo, row.getString(3))
                            : new Known(row.getBoolean(1), row.getString(0), null, null);
                });
    }

    private Uni<String> keyFromWebFinger(Handle oldHandle) {
        return webFinger.lookup(oldHandle)
                .onFailure(WebFingerClient.Unreachable.class).transform(e -> unavailable(
                        "old-identity-unreachable", "Cannot fetch the key of " + oldHandle + ": " + e.getMessage()))
                .map(person -> {
                    String pem = person == null ? null : person.property(WebFingerResource.PROP_PUBLIC_KEY);
                    if (pem == null) {
                        throw new ProblemException(Problem.of(422, "unknown-identity", "Unprocessable content",
                                "This pod holds no key for " + oldHandle + " and its pod serves none"));
                    }
                    return pem;
                });
    }

    /** The new identity's pod must name it with the very key the notice announces. */
    private Uni<Void> confirmNewIdentity(MoveNotice notice) {
        return webFinger.lookup(notice.newHandle())
                .onFailure(WebFingerClient.Unreachable.class).transform(e -> unavailable(
                        "new-identity-unreachable", "Cannot confirm " + notice.newHandle() + ": " + e.getMessage()))
                .invoke(person -> {
                    String pem = person == null ? null : person.property(WebFingerResource.PROP_PUBLIC_KEY);
                    if (pem == null || !KeyPairs.samePublicKey(pem, notice.newPublicKeyPem())) {
                        throw new ProblemException(Problem.of(422, "new-identity-mismatch", "Unprocessable content",
                                person == null ? notice.newHandle() + " does not exist on its pod"
                                        : notice.newHandle() + "'s pod serves another key than the notice announces"));
                    }
                })
                .replaceWithVoid();
    }

    private static JsonObject alreadyMoved(MoveNotice notice, Known known) {
        if (notice.id().equals(known.movedNotice()) || notice.newHandle().toString().equals(known.movedTo())) {
            return applied(notice);
        }
        throw ProblemException.conflict("already-moved", notice.oldHandle() + " already moved to " + known.movedTo());
    }

    private static JsonObject accepted(MoveNotice notice, int accounts) {
        LOG.infof("Move notice %s: %s is %s now, for %d local accounts", notice.id(), notice.oldHandle(),
                notice.newHandle(), accounts);
        return new JsonObject().put("status", "accepted").put("notice", notice.id()).put("accounts", accounts);
    }

    private static JsonObject applied(MoveNotice notice) {
        return new JsonObject().put("status", "already-applied").put("notice", notice.id()).put("accounts", 0);
    }

    private static ProblemException unavailable(String slug, String detail) {
        return new ProblemException(Problem.of(502, slug, "Bad gateway", detail));
    }
}
