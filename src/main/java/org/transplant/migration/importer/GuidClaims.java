package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.pod.account.HeldGuids;

/**
 * Guids are global, and an old pod chooses the ones it sends: before a page is written (in its transaction), every
 * record whose guid already names someone else's content on this pod is taken out and reported, so an import never
 * changes, joins or replaces it. The mover's own earlier copies (a page read again) pass, and the writers skip
 * them. A conversation that lives here already is joined only when the mover's old identity is among its people.
 * Photos are checked by {@link PhotoCopier}, before their bytes are fetched; comments and likes by
 * {@link ImportWriters#posts}, as they are written.
 */
@ApplicationScoped
public class GuidClaims {

    static final String TAKEN = "this guid belongs to someone else's content on this pod";

    private final HeldGuids heldGuids;

    public GuidClaims(HeldGuids heldGuids) {
        this.heldGuids = heldGuids;
    }

    /**
     * The posts of {@code items} that are not others' here, and what was taken out. Their comments and likes are
     * checked as they are written ({@link ImportWriters#posts}): a guid someone else holds is turned away by its
     * unique index, and only those are looked up, where asking for each beforehand cost a probe per row.
     */
    Uni<Checked<PostRecord>> posts(SqlConnection c, long accountId, List<PostRecord> items) {
        List<String> posts = new ArrayList<>();
        for (PostRecord post : items) {
            posts.add(post.guid());
        }
        return heldGuids
                .onOthersPosts(c, accountId, posts, List.of(), List.of())
                .map(taken -> {
                    List<LeftOut> leftOut = new ArrayList<>();
                    List<PostRecord> kept = remove(items, PostRecord::guid, "posts", taken.get("posts"), leftOut);
                    return new Checked<>(kept, leftOut);
                });
    }

    /**
     * The conversations of {@code items} the mover may bring here, each with the messages it may add to it, and what
     * was taken out. A conversation that lives here already gets none of its people from the import but the mover.
     */
    Uni<Checked<ConversationRecord>> conversations(SqlConnection c, ImportJob job, List<ConversationRecord> items) {
        List<String> guids = new ArrayList<>(), messages = new ArrayList<>();
        for (ConversationRecord conversation : items) {
            guids.add(conversation.guid());
            conversation.messages().forEach(m -> messages.add(m.guid()));
        }
        // Someone else here sees it (a participant with an account other than the mover's), and whether the
        // mover was ever in it (by the old handle, or already by the new one).
        Uni<Map<String, Boolean>> existing =
                heldGuids.conversationsOfOthers(c, guids, job.accountId(), job.provenOldHandle(), job.newHandle());
        Uni<Map<String, String>> placed = heldGuids.conversationOfMessages(c, messages);
        return existing.chain(others -> placed.map(where -> {
            List<LeftOut> leftOut = new ArrayList<>();
            List<ConversationRecord> kept = new ArrayList<>();
            // From the last to the first, as the report has always listed them.
            for (int i = items.size() - 1; i >= 0; i--) {
                ConversationRecord conversation = items.get(i);
                String guid = conversation.guid();
                Boolean moverIn = others.get(guid);
                if (Boolean.FALSE.equals(moverIn)) {
                    leftOut.add(new LeftOut(
                            "conversations",
                            guid,
                            "this guid belongs to a conversation of other"
                                    + " people on this pod, which you were not in"));
                    continue;
                }
                List<MessageRecord> keptMessages = new ArrayList<>();
                for (MessageRecord message : conversation.messages()) {
                    String at = where.get(message.guid());
                    String author = message.author();
                    if (at != null && !at.equals(guid)) {
                        leftOut.add(new LeftOut("messages", message.guid(), TAKEN));
                    } else if (moverIn != null
                            && at == null
                            && !author.equalsIgnoreCase(job.provenOldHandle())
                            && !author.equalsIgnoreCase(job.newHandle())) {
                        // A conversation that lives here already: only the mover's own words are added to it.
                        leftOut.add(new LeftOut(
                                "messages",
                                message.guid(),
                                "is not yours, and its"
                                        + " conversation already lives on this pod with what its people wrote"));
                    } else {
                        keptMessages.add(message);
                    }
                }
                kept.add(
                        0,
                        new ConversationRecord(
                                guid,
                                conversation.subject(),
                                conversation.author(),
                                // Nobody is added to other people's conversation but the mover.
                                moverIn != null ? List.of() : conversation.participants(),
                                conversation.createdAt(),
                                keptMessages,
                                conversation.messageCount()));
            }
            return new Checked<>(kept, leftOut);
        }));
    }

    /**
     * Messages of the messages collection, under the same rules as those a conversation embeds: each goes only into a
     * conversation the mover is in here (the conversations phase put them there), never into another conversation
     * than the one its guid already names, and into one other people of this pod share only when the mover wrote it.
     */
    Uni<Checked<MessageRecord>> messages(SqlConnection c, ImportJob job, List<MessageRecord> items) {
        List<String> guids = new ArrayList<>(), conversations = new ArrayList<>();
        for (MessageRecord message : items) {
            guids.add(message.guid());
            conversations.add(message.conversationGuid());
        }
        Uni<Map<String, Boolean>> joined = heldGuids.conversationsJoinedBy(c, conversations, job.accountId());
        Uni<Map<String, String>> placed = heldGuids.conversationOfMessages(c, guids);
        return joined.chain(shared -> placed.map(where -> {
            List<LeftOut> leftOut = new ArrayList<>();
            List<MessageRecord> kept = new ArrayList<>(items);
            for (int i = items.size() - 1; i >= 0; i--) {
                MessageRecord message = items.get(i);
                String guid = message.guid();
                String conversation = message.conversationGuid();
                String at = where.get(guid);
                String author = message.author();
                String why = null;
                if (!shared.containsKey(conversation)) {
                    why = "its conversation is not among those copied to this pod";
                } else if (at != null && !at.equals(conversation)) {
                    why = TAKEN;
                } else if (shared.get(conversation)
                        && at == null
                        && !author.equalsIgnoreCase(job.provenOldHandle())
                        && !author.equalsIgnoreCase(job.newHandle())) {
                    why = "is not yours, and its conversation already lives on this pod with what its people wrote";
                }
                if (why != null) {
                    kept.remove(i);
                    leftOut.add(new LeftOut("messages", guid, why));
                }
            }
            return new Checked<>(kept, leftOut);
        }));
    }

    /** {@code items} without those whose guid is {@code taken}, which are reported (from the last to the first). */
    private static <T> List<T> remove(
            List<T> items, Function<T, String> guidOf, String collection, Set<String> taken, List<LeftOut> leftOut) {
        List<T> kept = new ArrayList<>(items);
        if (taken == null || taken.isEmpty()) {
            return kept;
        }
        for (int i = kept.size() - 1; i >= 0; i--) {
            String guid = guidOf.apply(kept.get(i));
            if (taken.contains(guid)) {
                kept.remove(i);
                leftOut.add(new LeftOut(collection, guid, TAKEN));
            }
        }
        return kept;
    }
}
