package org.transplant.pod.contact;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.notification.Notifications;
import org.transplant.web.ProblemException;

/**
 * The writing steps that follows and blocks share, all inside the caller's transaction: one account's contact
 * rows, their aspects, and the mirror row on the other side when that person has an account on this pod.
 */
@ApplicationScoped
class ContactRows {

    /** The change sequence numbers of one write: the caller's, and the other local account's (null if remote). */
    record Stamps(long mine, Long theirs) {}

    private final ChangeSequence sequence;
    private final Notifications notifications;

    ContactRows(ChangeSequence sequence, Notifications notifications) {
        this.sequence = sequence;
        this.notifications = notifications;
    }

    /**
     * Takes the next sequence number of both accounts, the lower id first: taking one also row-locks it, so two
     * people following each other at the same moment wait for each other instead of deadlocking. Only the
     * writer's own account must take writes: the other one's number is null when it takes none (held, moving,
     * moved), and its side is then left as it is, so blocking or unfollowing never depends on the other's state.
     * Call it before anything else is written.
     */
    Uni<Stamps> stamps(long mine, Long theirs) {
        if (theirs == null || theirs == mine) {
            return sequence.next(mine).map(seq -> new Stamps(seq, null));
        }
        if (mine < theirs) {
            return sequence.next(mine).chain(my -> sequence.nextIfOpen(theirs).map(their -> new Stamps(my, their)));
        }
        return sequence.nextIfOpen(theirs).chain(their -> sequence.next(mine).map(my -> new Stamps(my, their)));
    }

    Uni<Contact> find(long accountId, String handle) {
        return Contact.<Contact>find("accountId = ?1 and handle = ?2", accountId, handle)
                .firstResult();
    }

    /** The existing row, or a new unsaved one that says nothing yet. */
    Uni<Contact> findOrNew(long accountId, String handle) {
        return find(accountId, handle).map(existing -> {
            if (existing != null) {
                return existing;
            }
            Contact contact = new Contact();
            contact.accountId = accountId;
            contact.handle = handle;
            return contact;
        });
    }

    Uni<Contact> save(Contact contact, long seq) {
        contact.seq = seq;
        return contact.persist();
    }

    /** Deletes a row that says nothing any more, leaving a tombstone for the export delta. */
    Uni<Void> dropIfEmpty(Contact contact) {
        if (!contact.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sequence.tombstone(contact.accountId, "contact", contact.handle).chain(() -> contact.delete());
    }

    /** The ids of the named aspects of an account; a 400 naming the first unknown name, before anything is written. */
    Uni<List<Long>> aspectIds(long accountId, List<String> names) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(names));
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Aspect.<Aspect>list("accountId = ?1 and name in ?2", accountId, wanted)
                .map(found -> {
                    for (String name : wanted) {
                        if (found.stream().noneMatch(a -> a.name.equals(name))) {
                            throw ProblemException.invalid("aspects", "you have no aspect named '" + name + "'");
                        }
                    }
                    List<Long> ids = new ArrayList<>();
                    found.forEach(a -> ids.add(a.id));
                    return ids;
                });
    }

    Uni<Void> replaceAspects(Contact contact, List<Long> aspectIds) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("DELETE FROM contact_aspects WHERE contact_id = ?1")
                        .setParameter(1, contact.id)
                        .executeUpdate()
                        .chain(() -> aspectIds.isEmpty()
                                ? Uni.createFrom().item(0)
                                : session.createNativeQuery("INSERT INTO contact_aspects (contact_id, aspect_id)"
                                                + " SELECT ?1, id FROM aspects WHERE id IN (?2)")
                                        .setParameter(1, contact.id)
                                        .setParameter(2, aspectIds)
                                        .executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Marks the caller as sharing with a local account, on that account's row for the caller, and tells them.
     * Someone who blocks the caller does not get the caller as a follower: a block ignores what they share.
     */
    Uni<Void> startSharing(long theirId, long myId, String myHandle, long theirSeq) {
        return findOrNew(theirId, myHandle).chain(theirs -> {
            if (theirs.blocked || theirs.follower) {
                return Uni.createFrom().voidItem();
            }
            theirs.follower = true;
            return save(theirs, theirSeq)
                    .chain(() -> notifications.notifyOwner(theirId, myId, "started_sharing", myHandle, null));
        });
    }

    /** Removes the caller from a local account's followers, dropping their row for the caller if nothing is left. */
    Uni<Void> stopSharing(long theirId, String myHandle, long theirSeq) {
        return find(theirId, myHandle).chain(theirs -> {
            if (theirs == null || !theirs.follower) {
                return Uni.createFrom().voidItem();
            }
            theirs.follower = false;
            return save(theirs, theirSeq).chain(this::dropIfEmpty);
        });
    }
}
