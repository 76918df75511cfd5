package org.transplant.pod.contact;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.List;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountGuard;
import org.transplant.pod.account.LocalAccounts;
import org.transplant.pod.contact.ContactRows.Stamps;
import org.transplant.pod.contact.ContactViews.AspectsRequest;
import org.transplant.pod.contact.ContactViews.FollowRequest;
import org.transplant.pod.contact.ContactViews.Followed;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/**
 * Sharing with people: follow, stop following, and sort followed people into aspects. A person on this pod also
 * gets the caller as a follower on their side. Handles of other pods are stored; nothing here makes a network call,
 * but a {@link RemoteContactAdded} event lets federation learn the person's key from their pod afterwards.
 */
@ApplicationScoped
public class ContactService {

    private final AccountGuard guard;
    private final LocalAccounts accounts;
    private final ContactRows rows;
    private final PodUrls urls;
    private final Event<RemoteContactAdded> remoteContacts;

    public ContactService(
            AccountGuard guard,
            LocalAccounts accounts,
            ContactRows rows,
            PodUrls urls,
            Event<RemoteContactAdded> remoteContacts) {
        this.guard = guard;
        this.accounts = accounts;
        this.rows = rows;
        this.urls = urls;
        this.remoteContacts = remoteContacts;
    }

    /** Follows a handle, or updates the aspects of one already followed (when {@code aspects} is given). */
    public Uni<Followed> follow(SignedIn me, FollowRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with the handle to follow is required");
        }
        Handle handle = notMyself(me, Handle.parse("handle", request.handle()));
        List<String> names = request.aspects() == null ? List.of() : request.aspects();
        boolean replaceAspects = request.aspects() != null;
        // No lock before the stamps: they take both accounts in id order, the caller's included.
        return Panache.withTransaction(() -> rows.aspectIds(me.accountId(), names)
                        .chain(aspectIds -> accounts.require(handle)
                                .chain(theirId -> rows.stamps(me.accountId(), theirId)
                                        .chain(stamps -> follow(
                                                me, handle, theirId, stamps, replaceAspects ? aspectIds : null)))))
                .invoke(() -> announce(handle));
    }

    /** Tells whoever listens that a person of another pod is now a contact here (after the write committed). */
    void announce(Handle handle) {
        if (urls.localUsername(handle) == null) {
            remoteContacts.fireAsync(new RemoteContactAdded(handle));
        }
    }

    private Uni<Followed> follow(SignedIn me, Handle handle, Long theirId, Stamps stamps, List<Long> aspectIds) {
        return rows.findOrNew(me.accountId(), handle.toString()).chain(contact -> {
            if (contact.blocked) {
                throw ProblemException.conflict("contact-blocked", "You block " + handle + "; unblock them first");
            }
            boolean created = !contact.following;
            contact.following = true;
            return rows.save(contact, stamps.mine())
                    .call(saved ->
                            aspectIds == null ? Uni.createFrom().voidItem() : rows.replaceAspects(saved, aspectIds))
                    .call(saved -> stamps.theirs() == null
                            ? Uni.createFrom().voidItem()
                            : rows.startSharing(theirId, me.accountId(), urls.handleOf(me.username()), stamps.theirs()))
                    .map(saved -> new Followed(saved.handle, created));
        });
    }

    /** Stops sharing with a handle; the row goes (with a tombstone) when it says nothing any more. */
    public Uni<Void> unfollow(SignedIn me, String handleText) {
        Handle handle = Handle.parse("handle", handleText);
        return Panache.withTransaction(() -> accounts.find(handle)
                .chain(theirId -> rows.stamps(me.accountId(), theirId)
                        .chain(stamps -> rows.find(me.accountId(), handle.toString())
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("The contact " + handle))
                                .call(contact -> rows.replaceAspects(contact, List.of()))
                                .chain(contact -> {
                                    contact.following = false;
                                    return rows.save(contact, stamps.mine());
                                })
                                .call(contact -> stamps.theirs() == null
                                        ? Uni.createFrom().voidItem()
                                        : rows.stopSharing(theirId, urls.handleOf(me.username()), stamps.theirs()))
                                .chain(rows::dropIfEmpty))));
    }

    /** Puts a followed contact into exactly the named aspects. */
    public Uni<String> setAspects(SignedIn me, String handleText, AspectsRequest request) {
        Handle handle = Handle.parse("handle", handleText);
        if (request == null || request.aspects() == null) {
            throw ProblemException.invalid("aspects", "is required, a list of aspect names (may be empty)");
        }
        return Panache.withTransaction(() -> guard.requireActive(me.accountId())
                .chain(() -> rows.aspectIds(me.accountId(), request.aspects()))
                .chain(aspectIds -> rows.stamps(me.accountId(), null)
                        .chain(stamps -> rows.find(me.accountId(), handle.toString())
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("The contact " + handle))
                                .invoke(contact -> {
                                    if (!contact.following) {
                                        throw ProblemException.conflict(
                                                "not-following",
                                                "You do not share with " + handle + "; follow them first");
                                    }
                                })
                                .call(contact -> rows.replaceAspects(contact, aspectIds))
                                .chain(contact -> rows.save(contact, stamps.mine()))))
                .map(contact -> contact.handle));
    }

    /** Refuses the caller's own handle: one does not share with oneself. */
    Handle notMyself(SignedIn me, Handle handle) {
        if (me.username().equals(urls.localUsername(handle))) {
            throw ProblemException.invalid("handle", "is your own handle");
        }
        return handle;
    }
}
