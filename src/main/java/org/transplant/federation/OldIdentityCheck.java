package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.discovery.HCardClient;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Holds the identity a file brings (an account archive, a diaspora* export: a handle and the private key inside)
 * against what the network knows of it, before anything of it is written. Refused: a key this pod holds for the
 * handle, or the one its pod serves now (Transplant's WebFinger property, diaspora*'s hCard), that is another; an
 * account this pod was told moved, or whose pod says so; a handle of this very pod. The problem types are
 * {@code archive-already-moved}, {@code archive-bad-signature} and {@code archive-local-account}.
 */
@ApplicationScoped
public class OldIdentityCheck {

    /** What the network said of the identity. */
    public enum Verdict {
        /** A key held here or served by the old pod is the file's: the file's key proves the old identity. */
        MATCHED,
        /** The old pod knows the person but serves no key: nothing proven, nothing contradicted. */
        NO_KEY_SERVED,
        /** The old pod did not answer (it may have died): nothing proven. */
        UNREACHABLE,
        /** The old pod answers, and knows no such person (closed, or moved in a way this pod was not told of). */
        NOT_KNOWN
    }

    private final PersonKeys keys;
    private final WebFingerClient webFinger;
    private final HCardClient hCards;
    private final AccountService accounts;
    private final PodUrls urls;

    public OldIdentityCheck(
            PersonKeys keys, WebFingerClient webFinger, HCardClient hCards, AccountService accounts, PodUrls urls) {
        this.keys = keys;
        this.webFinger = webFinger;
        this.hCards = hCards;
        this.accounts = accounts;
        this.urls = urls;
    }

    /** {@code what} names the file in messages ("archive", "export"). */
    public Uni<Verdict> check(Handle handle, String publicKeyPem, String what) {
        String local = urls.localUsername(handle);
        return keys.movedTo(handle)
                .invoke(movedTo -> {
                    if (movedTo != null) {
                        throw alreadyMoved(what);
                    }
                })
                .chain(() -> keys.held(handle))
                .invoke(held -> requireSameKey(held, publicKeyPem, handle, what))
                .chain(held -> served(handle, what).map(served -> {
                    if (served.pem() != null) {
                        requireSameKey(served.pem(), publicKeyPem, handle, what);
                    }
                    if (held != null || served.pem() != null) {
                        return Verdict.MATCHED;
                    }
                    return served.verdict();
                }))
                // Last: an account of this pod that moved away is told as such, not as a local one.
                .call(verdict -> local == null
                        ? Uni.createFrom().voidItem()
                        : accounts.isAvailable(local).invoke(free -> {
                            if (!free) {
                                throw refusal(
                                        "local-account",
                                        "The " + what + " is of an account of this very pod; it cannot move here");
                            }
                        }));
    }

    private record Served(String pem, Verdict verdict) {}

    private Uni<Served> served(Handle handle, String what) {
        return webFinger
                .lookup(handle)
                .chain(person -> {
                    if (person == null) {
                        return Uni.createFrom().item(new Served(null, Verdict.NOT_KNOWN));
                    }
                    if (person.property(WebFingerResource.PROP_MOVED_TO) != null) {
                        throw alreadyMoved(what);
                    }
                    String transplant = person.property(WebFingerResource.PROP_PUBLIC_KEY);
                    if (transplant != null) {
                        return Uni.createFrom().item(new Served(transplant, Verdict.MATCHED));
                    }
                    return hCards.key(person).map(pem -> new Served(pem, Verdict.NO_KEY_SERVED));
                })
                .onFailure(WebFingerClient.Unreachable.class)
                .recoverWithItem(new Served(null, Verdict.UNREACHABLE));
    }

    private static ProblemException alreadyMoved(String what) {
        return refusal(
                "already-moved",
                "This account has moved already (its old pod says so, or this pod was told so); an " + what
                        + " cannot move it again");
    }

    private static void requireSameKey(String known, String publicKeyPem, Handle handle, String what) {
        if (known != null && !KeyPairs.samePublicKey(known, publicKeyPem)) {
            throw refusal(
                    "bad-signature",
                    "The " + what + "'s key is not the one " + handle + " is known by (to this pod, or to its own"
                            + " pod)");
        }
    }

    private static ProblemException refusal(String reason, String message) {
        return new ProblemException(Problem.of(422, "archive-" + reason, "Archive refused", message));
    }
}
