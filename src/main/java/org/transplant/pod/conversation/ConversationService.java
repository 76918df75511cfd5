package org.transplant.pod.conversation;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.transplant.pod.Guids;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.account.LocalAccounts;
import org.transplant.pod.conversation.ConversationViews.MessageView;
import org.transplant.pod.conversation.ConversationViews.NewConversation;
import org.transplant.pod.conversation.ConversationViews.NewMessage;
import org.transplant.pod.notification.Notifications;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/**
 * Starts conversations with contacts and adds messages. Each write stamps the participant row of every local
 * participant with that account's next sequence number, so that each one's export delta carries the change.
 * Participants on other pods are only stored; delivering to them comes with federation.
 */
@ApplicationScoped
public class ConversationService {

    static final int MAX_SUBJECT = 255;
    static final int MAX_TEXT = 65_535;
    static final int MAX_PARTICIPANTS = 20;

    private final ChangeSequence sequence;
    private final LocalAccounts accounts;
    private final Notifications notifications;
    private final PodUrls urls;

    public ConversationService(
            ChangeSequence sequence, LocalAccounts accounts, Notifications notifications, PodUrls urls) {
        this.sequence = sequence;
        this.accounts = accounts;
        this.notifications = notifications;
        this.urls = urls;
    }

    public Uni<String> start(SignedIn me, NewConversation request) {
        if (request == null) {
            throw ProblemException.badRequest(
                    "missing-body", "A JSON body with subject, text and participants" + " is required");
        }
        String subject = request.subject() == null ? "" : request.subject().strip();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
            throw ProblemException.invalid("subject", "has 1 to " + MAX_SUBJECT + " characters");
        }
        String text = checkedText(request.text());
        List<Handle> others = participants(me, request.participants());
        String myHandle = urls.handleOf(me.username());
        return Panache.withTransaction(() -> requireContacts(me.accountId(), others)
                        .chain(() -> accounts.findAll(others))
                        .chain(localIds -> {
                            List<Long> everyone = new ArrayList<>(localIds.values());
                            everyone.add(me.accountId());
                            return sequence.reserveInOrder(oneEach(everyone)).chain(seqs -> {
                                Conversation conversation = new Conversation();
                                conversation.guid = Guids.next();
                                conversation.subject = subject;
                                conversation.authorHandle = myHandle;
                                conversation.createdAt = Instant.now();
                                return conversation
                                        .<Conversation>persist()
                                        .call(saved -> addParticipant(saved, myHandle, me.accountId()))
                                        .call(saved -> addParticipants(saved, others, localIds))
                                        .call(saved -> addMessage(saved, myHandle, text))
                                        .call(saved -> stampAndNotify(saved, seqs, me.accountId(), myHandle));
                            });
                        }))
                .map(conversation -> conversation.guid);
    }

    /**
     * Adds a message; a 404 for anyone not in the conversation, exactly as if it did not exist. A message changes the
     * conversation of every local participant, so every one of them must take writes: a friend's message to someone
     * who moved (or is moving) is refused, not lost.
     */
    public Uni<MessageView> reply(SignedIn me, String guid, NewMessage request) {
        String text = checkedText(request == null ? null : request.text());
        String myHandle = urls.handleOf(me.username());
        return Panache.withTransaction(() -> findAsParticipant(guid, me.accountId())
                        .chain(conversation -> localParticipants(conversation)
                                .chain(ids -> sequence.reserveInOrder(oneEach(ids)))
                                .chain(seqs -> addMessage(conversation, myHandle, text)
                                        .call(() -> stampAndNotify(conversation, seqs, me.accountId(), myHandle)))))
                .map(m -> new MessageView(m.guid, m.authorHandle, m.text, m.createdAt));
    }

    /** One change number for each account (the writer among them). */
    private static Map<Long, Long> oneEach(Collection<Long> accountIds) {
        Map<Long, Long> counts = new TreeMap<>();
        accountIds.forEach(id -> counts.put(id, 1L));
        return counts;
    }

    private static String checkedText(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw ProblemException.invalid("text", "a message has 1 to " + MAX_TEXT + " characters");
        }
        return text;
    }

    private List<Handle> participants(SignedIn me, List<String> raw) {
        if (raw == null || raw.isEmpty() || raw.size() > MAX_PARTICIPANTS) {
            throw ProblemException.invalid("participants", "name 1 to " + MAX_PARTICIPANTS + " of your contacts");
        }
        Set<Handle> handles = new LinkedHashSet<>();
        for (String text : raw) {
            Handle handle = Handle.parse("participants", text);
            if (me.username().equals(urls.localUsername(handle))) {
                throw ProblemException.invalid(
                        "participants", "leave out your own handle; you are always in" + " your conversations");
            }
            handles.add(handle);
        }
        return List.copyOf(handles);
    }

    /** Only unblocked contacts (sharing in either direction) can be written to; a 400 names the first other one. */
    private Uni<Void> requireContacts(long accountId, List<Handle> handles) {
        List<String> wanted = handles.stream().map(Handle::toString).toList();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT handle FROM contacts WHERE account_id = ?1 AND handle IN (?2) AND NOT blocked"
                                        + " AND (following OR follower)",
                                String.class)
                        .setParameter(1, accountId)
                        .setParameter(2, wanted)
                        .getResultList())
                .invoke(found -> wanted.stream()
                        .filter(h -> !found.contains(h))
                        .findFirst()
                        .ifPresent(h -> {
                            throw ProblemException.invalid("participants", h + " is not one of your contacts");
                        }))
                .replaceWithVoid();
    }

    private Uni<Void> addParticipants(Conversation conversation, List<Handle> handles, Map<Handle, Long> localIds) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Handle handle : handles) {
            chain = chain.chain(() -> addParticipant(conversation, handle.toString(), localIds.get(handle)));
        }
        return chain;
    }

    private Uni<Void> addParticipant(Conversation conversation, String handle, Long accountId) {
        return Panache.getSession()
                .chain(session -> (accountId == null
                                ? session.createNativeQuery(
                                        "INSERT INTO conversation_participants (conversation_id, handle)"
                                                + " VALUES (?1, ?2)")
                                : session.createNativeQuery(
                                                "INSERT INTO conversation_participants (conversation_id, handle,"
                                                        + " account_id) VALUES (?1, ?2, ?3)")
                                        .setParameter(3, accountId))
                        .setParameter(1, conversation.id)
                        .setParameter(2, handle)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<Message> addMessage(Conversation conversation, String authorHandle, String text) {
        Message message = new Message();
        message.guid = Guids.next();
        message.conversationId = conversation.id;
        message.authorHandle = authorHandle;
        message.text = text;
        message.createdAt = Instant.now();
        return message.persist();
    }

    private Uni<List<Long>> localParticipants(Conversation conversation) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT account_id FROM conversation_participants WHERE conversation_id = ?1"
                                        + " AND account_id IS NOT NULL",
                                Long.class)
                        .setParameter(1, conversation.id)
                        .getResultList());
    }

    /**
     * Stamps every local participant's row with the number taken for it (taken before anything was written, in
     * ascending account order: one order for everyone means no deadlock), and notifies all but the writer.
     */
    private Uni<Void> stampAndNotify(
            Conversation conversation, Map<Long, Long> seqs, long writerId, String writerHandle) {
        return Panache.getSession().chain(session -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<Long, Long> entry : seqs.entrySet()) {
                long id = entry.getKey();
                chain = chain.chain(() -> session.createNativeQuery("UPDATE conversation_participants"
                                        + " SET seq = ?1 WHERE conversation_id = ?2 AND account_id = ?3")
                                .setParameter(1, entry.getValue())
                                .setParameter(2, conversation.id)
                                .setParameter(3, id)
                                .executeUpdate())
                        .chain(() ->
                                notifications.notifyOwner(id, writerId, "message", writerHandle, conversation.guid));
            }
            return chain;
        });
    }

    private Uni<Conversation> findAsParticipant(String guid, long accountId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT c.* FROM conversations c JOIN conversation_participants p ON p.conversation_id = c.id"
                                        + " WHERE c.guid = ?1 AND p.account_id = ?2",
                                Conversation.class)
                        .setParameter(1, guid)
                        .setParameter(2, accountId)
                        .getResultList())
                .map(found -> found.isEmpty() ? null : found.get(0))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The conversation " + guid));
    }
}
