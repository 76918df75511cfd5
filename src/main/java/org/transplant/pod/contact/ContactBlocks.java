package org.transplant.pod.contact;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountGuard;
import org.transplant.pod.account.LocalAccounts;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/**
 * Blocking: the caller stops sharing with the person and ignores what they share (posts check {@code blocked}). A
 * person on this pod also loses the caller as a follower, as diaspora* does when one side blocks the other.
 */
@ApplicationScoped
public class ContactBlocks {

    private final AccountGuard guard;
    private final LocalAccounts accounts;
    private final ContactRows rows;
    private final ContactService contacts;
    private final PodUrls urls;

    public ContactBlocks(
            AccountGuard guard, LocalAccounts accounts, ContactRows rows, ContactService contacts, PodUrls urls) {
        this.guard = guard;
        this.accounts = accounts;
        this.rows = rows;
        this.contacts = contacts;
        this.urls = urls;
    }

    public Uni<String> block(SignedIn me, String handleText) {
        Handle handle = contacts.notMyself(me, Handle.parse("handle", handleText));
        return Panache.withTransaction(() -> accounts.require(handle)
                .chain(theirId -> rows.stamps(me.accountId(), theirId)
                        .chain(stamps -> rows.findOrNew(me.accountId(), handle.toString())
                                .chain(contact -> {
                                    contact.blocked = true;
                                    contact.following = false;
                                    return rows.save(contact, stamps.mine());
                                })
                                .call(contact -> rows.replaceAspects(contact, List.of()))
                                .call(contact -> stamps.theirs() == null
                                        ? Uni.createFrom().voidItem()
                                        : rows.stopSharing(theirId, urls.handleOf(me.username()), stamps.theirs()))))
                .invoke(() -> contacts.announce(handle))
                .map(contact -> contact.handle));
    }

    /** Lifts a block; sharing does not come back by itself, the caller follows again if they want to. */
    public Uni<Void> unblock(SignedIn me, String handleText) {
        Handle handle = Handle.parse("handle", handleText);
        return Panache.withTransaction(() -> guard.requireActive(me.accountId())
                .chain(() -> rows.stamps(me.accountId(), null))
                .chain(stamps -> rows.find(me.accountId(), handle.toString())
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound("A block of " + handle))
                        .chain(contact -> {
                            if (!contact.blocked) {
                                throw ProblemException.notFound("A block of " + handle);
                            }
                            contact.blocked = false;
                            return rows.save(contact, stamps.mine());
                        })
                        .chain(rows::dropIfEmpty)));
    }
}
