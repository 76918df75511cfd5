package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import org.jboss.logging.Logger;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.pod.Handle;
import org.transplant.pod.contact.KnownPeople;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Takes a move notice about someone this pod's users know. The notice must be signed with the old identity's key:
 * the one this pod already holds for it ({@link PersonKeys}, learned from its own pod), or, only when none is held,
 * the one its pod serves now. A held key is never set aside for a served one: whoever takes over a dead pod's domain
 * must not be able to move its people. A key in a contact row is not trusted: an import into this pod could have
 * put any key there. The new
 * identity's pod must confirm the move: it serves the announced key and names the old identity as
 * {@code alsoKnownAs}. Then every local contact is re-pointed. A replay changes nothing; a forged,
 * expired or mismatched notice is refused and changes nothing.
 */
@ApplicationScoped
public class MoveNoticeReceiver {

    private static final Logger LOG = Logger.getLogger(MoveNoticeReceiver.class);

    /** What this pod holds about an old identity before anything is verified. */
    private record Known(boolean known, String movedTo, String movedNotice, String movedKey) {}

    private final Pool pool;
    private final WebFingerClient webFinger;
    private final WorkerPool workers;
    private final ContactRepointing repointing;
    private final PersonKeys keys;
    private final KnownPeople knownPeople;

    public MoveNoticeReceiver(
            Pool pool,
            WebFingerClient webFinger,
            WorkerPool workers,
            ContactRepointing repointing,
            PersonKeys keys,
            KnownPeople knownPeople) {
        this.knownPeople = knownPeople;
        this.pool = pool;
        this.webFinger = webFinger;
        this.workers = workers;
        this.repointing = repointing;
        this.keys = keys;
    }

    /** The acknowledgement: {@code status} is "accepted" or "already-applied". */
    public Uni<JsonObject> receive(String jws) {
        Handle oldHandle = MoveNoticeJws.claimedSender(jws);
        return known(oldHandle).chain(known -> {
            if (!known.known()) {
                throw new ProblemException(Problem.of(
                        422, "unknown-identity", "Unprocessable content", "Nobody on this pod knows " + oldHandle));
            }
            return verified(jws, oldHandle, known).chain(checked -> {
                MoveNotice notice = checked.notice();
                String pem = checked.oldKeyPem();
                if (known.movedTo() != null) {
                    return Uni.createFrom().item(alreadyMoved(notice, known));
                }
                return confirmNewIdentity(notice)
                        .chain(() -> repointing.apply(notice, pem))
                        .chain(accounts -> accounts != null
                                ? Uni.createFrom().item(accepted(notice, accounts))
                                // Another notice about the same person got there first.
                                : known(oldHandle).map(now -> alreadyMoved(notice, now)));
            });
        });
    }

    /** A notice and the old key that checked it. */
    private record Checked(MoveNotice notice, String oldKeyPem) {}

    /**
     * Checks the signature: once moved, against the key the moving notice was checked with (a replay); else against
     * the key held for the old identity, and only when none is held, against the key their pod serves now (not
     * kept: the moved-people row records the key a move was checked with). A signature that fails with the held key is a refusal: there is no second try with whatever the
     * old host serves now.
     */
    private Uni<Checked> verified(String jws, Handle oldHandle, Known known) {
        if (known.movedKey() != null) {
            return check(jws, oldHandle, known.movedKey());
        }
        return keys.held(oldHandle)
                .chain(held -> (held != null ? Uni.createFrom().item(held) : keyFromWebFinger(oldHandle))
                        .chain(pem -> check(jws, oldHandle, pem)));
    }

    private Uni<Checked> check(String jws, Handle oldHandle, String pem) {
        return workers.run(() -> new Checked(MoveNoticeJws.verify(jws, publicKey(pem, oldHandle)), pem));
    }

    private Uni<Known> known(Handle oldHandle) {
        return knownPeople
                .knows(oldHandle.toString())
                .chain(knows -> pool.preparedQuery(
                                "SELECT new_handle, notice_id::text, old_public_key_pem FROM moved_people WHERE old_handle = $1")
                        .execute(Tuple.of(oldHandle.toString()))
                        .map(rows -> {
                            Row row =
                                    rows.iterator().hasNext() ? rows.iterator().next() : null;
                            String movedTo = row == null ? null : row.getString(0);
                            return new Known(
                                    knows || movedTo != null,
                                    movedTo,
                                    row == null ? null : row.getString(1),
                                    row == null ? null : row.getString(2));
                        }));
    }

    private static PublicKey publicKey(String pem, Handle owner) {
        try {
            return KeyPairs.parsePublicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(
                    422,
                    "unknown-identity",
                    "Unprocessable content",
                    "The key served for " + owner + " is not a public key"));
        }
    }

    private Uni<String> keyFromWebFinger(Handle oldHandle) {
        return keys.served(oldHandle)
                .onFailure(WebFingerClient.Unreachable.class)
                .transform(e -> unavailable(
                        "old-identity-unreachable", "Cannot fetch the key of " + oldHandle + ": " + e.getMessage()))
                .map(pem -> {
                    if (pem == null) {
                        throw new ProblemException(Problem.of(
                                422,
                                "unknown-identity",
                                "Unprocessable content",
                                "This pod holds no key for " + oldHandle + " and its pod serves none"));
                    }
                    return pem;
                });
    }

    /**
     * The new identity's pod must serve the very key the notice announces and name the old identity as the one it
     * was (FEP-7628's alsoKnownAs): nobody is moved onto an account that did not ask for it.
     */
    private Uni<Void> confirmNewIdentity(MoveNotice notice) {
        return webFinger
                .lookup(notice.newHandle())
                .onFailure(WebFingerClient.Unreachable.class)
                .transform(e -> unavailable(
                        "new-identity-unreachable", "Cannot confirm " + notice.newHandle() + ": " + e.getMessage()))
                .invoke(person -> {
                    String pem = person == null ? null : person.property(WebFingerResource.PROP_PUBLIC_KEY);
                    String why = person == null
                            ? notice.newHandle() + " does not exist on its pod"
                            : pem == null || !KeyPairs.samePublicKey(pem, notice.newPublicKeyPem())
                                    ? notice.newHandle() + "'s pod serves another key than the notice announces"
                                    : !("acct:" + notice.oldHandle())
                                                    .equals(person.property(WebFingerResource.PROP_ALSO_KNOWN_AS))
                                            ? notice.newHandle() + " does not name " + notice.oldHandle()
                                                    + " as the identity it was"
                                            : null;
                    if (why != null) {
                        throw new ProblemException(
                                Problem.of(422, "new-identity-mismatch", "Unprocessable content", why));
                    }
                })
                .replaceWithVoid();
    }

    private static JsonObject alreadyMoved(MoveNotice notice, Known known) {
        if (notice.id().equals(known.movedNotice())
                || notice.newHandle().toString().equals(known.movedTo())) {
            return applied(notice);
        }
        throw ProblemException.conflict("already-moved", notice.oldHandle() + " already moved to " + known.movedTo());
    }

    private static JsonObject accepted(MoveNotice notice, int accounts) {
        LOG.infof(
                "Move notice %s: %s is %s now, for %d local accounts",
                notice.id(), notice.oldHandle(), notice.newHandle(), accounts);
        return new JsonObject()
                .put("status", "accepted")
                .put("notice", notice.id())
                .put("accounts", accounts);
    }

    private static JsonObject applied(MoveNotice notice) {
        return new JsonObject()
                .put("status", "already-applied")
                .put("notice", notice.id())
                .put("accounts", 0);
    }

    private static ProblemException unavailable(String slug, String detail) {
        return new ProblemException(Problem.of(502, slug, "Bad gateway", detail));
    }
}
