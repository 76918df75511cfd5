package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.pod.account.HeldGuids;

/**
 * Guids are global, and an old pod chooses the ones it sends: before a page is written (in its transaction), every
 * record whose guid already names someone else's content on this pod is taken out and reported, so an import never
 * changes, joins or replaces it. The mover's own earlier copies (a page read again) pass, and the writers skip
 * them. A conversation that lives here already is joined only when the mover's old identity is among its people.
 * Photos are checked by {@link PhotoCopier}, before their bytes are fetched.
 */
@ApplicationScoped
public class GuidClaims {

    static final String TAKEN = "this guid belongs to someone else's content on this pod";

    private final HeldGuids heldGuids;

    public GuidClaims(HeldGuids heldGuids) {
        this.heldGuids = heldGuids;
    }

    /** Takes out of {@code items} what belongs to others here, and answers what it took out. */
    public Uni<List<LeftOut>> withoutOthers(SqlConnection c, ImportJob job, String phase, JsonArray items) {
        return switch (phase) {
            case "posts" -> posts(c, job.accountId(), items);
            case "conversations" -> conversations(c, job, items);
            case "messages" -> messages(c, job, items);
            default -> Uni.createFrom().item(List.of());
        };
    }

    private Uni<List<LeftOut>> posts(SqlConnection c, long accountId, JsonArray items) {
        List<String> posts = new ArrayList<>(), comments = new ArrayList<>(), likes = new ArrayList<>();
        for (Object o : items) {
            JsonObject post = (JsonObject) o;
            posts.add(post.getString("guid"));
            post.getJsonArray("comments", new JsonArray())
                    .forEach(x -> comments.add(((JsonObject) x).getString("guid")));
            post.getJsonArray("likes", new JsonArray()).forEach(x -> likes.add(((JsonObject) x).getString("guid")));
        }
        return heldGuids.onOthersPosts(c, accountId, posts, comments, likes).map(taken -> {
            List<LeftOut> leftOut = new ArrayList<>();
            remove(items, "posts", taken.getOrDefault("posts", Set.of()), leftOut);
            for (Object o : items) {
                for (String kind : new String[] {"comments", "likes"}) {
                    remove(
                            ((JsonObject) o).getJsonArray(kind, new JsonArray()),
                            kind,
                            taken.getOrDefault(kind, Set.of()),
                            leftOut);
                }
            }
            return leftOut;
        });
    }

    private Uni<List<LeftOut>> conversations(SqlConnection c, ImportJob job, JsonArray items) {
        List<String> guids = new ArrayList<>(), messages = new ArrayList<>();
        for (Object o : items) {
            JsonObject conversation = (JsonObject) o;
            guids.add(conversation.getString("guid"));
            conversation.getJsonArray("messages").forEach(m -> messages.add(((JsonObject) m).getString("guid")));
        }
        // Someone else here sees it (a participant with an account other than the mover's), and whether the
        // mover was ever in it (by the old handle, or already by the new one).
        Uni<Map<String, Boolean>> existing =
                heldGuids.conversationsOfOthers(c, guids, job.accountId(), job.oldHandle(), job.newHandle());
        Uni<Map<String, String>> placed = heldGuids.conversationOfMessages(c, messages);
        return existing.chain(others -> placed.map(where -> {
            List<LeftOut> leftOut = new ArrayList<>();
            for (int i = items.size() - 1; i >= 0; i--) {
                JsonObject conversation = items.getJsonObject(i);
                String guid = conversation.getString("guid");
                Boolean moverIn = others.get(guid);
                if (Boolean.FALSE.equals(moverIn)) {
                    items.remove(i);
                    leftOut.add(new LeftOut(
                            "conversations",
                            guid,
                            "this guid belongs to a conversation of other"
                                    + " people on this pod, which you were not in"));
                    continue;
                }
                JsonArray kept = new JsonArray();
                for (Object o : conversation.getJsonArray("messages")) {
                    JsonObject message = (JsonObject) o;
                    String at = where.get(message.getString("guid"));
                    String author = message.getString("author");
                    if (at != null && !at.equals(guid)) {
                        leftOut.add(new LeftOut("messages", message.getString("guid"), TAKEN));
                    } else if (moverIn != null
                            && at == null
                            && !author.equalsIgnoreCase(job.oldHandle())
                            && !author.equalsIgnoreCase(job.newHandle())) {
                        // A conversation that lives here already: only the mover's own words are added to it.
                        leftOut.add(new LeftOut(
                                "messages",
                                message.getString("guid"),
                                "is not yours, and its"
                                        + " conversation already lives on this pod with what its people wrote"));
                    } else {
                        kept.add(message);
                    }
                }
                conversation.put("messages", kept);
                if (moverIn != null) {
                    // Nobody is added to other people's conversation but the mover.
                    conversation.put("participants", new JsonArray());
                }
            }
            return leftOut;
        }));
    }

    /**
     * Messages of the messages collection, under the same rules as those a conversation embeds: each goes only into a
     * conversation the mover is in here (the conversations phase put them there), never into another conversation
     * than the one its guid already names, and into one other people of this pod share only when the mover wrote it.
     */
    private Uni<List<LeftOut>> messages(SqlConnection c, ImportJob job, JsonArray items) {
        List<String> guids = new ArrayList<>(), conversations = new ArrayList<>();
        for (Object o : items) {
            guids.add(((JsonObject) o).getString("guid"));
            conversations.add(((JsonObject) o).getString("conversationGuid"));
        }
        Uni<Map<String, Boolean>> joined = heldGuids.conversationsJoinedBy(c, conversations, job.accountId());
        Uni<Map<String, String>> placed = heldGuids.conversationOfMessages(c, guids);
        return joined.chain(shared -> placed.map(where -> {
            List<LeftOut> leftOut = new ArrayList<>();
            for (int i = items.size() - 1; i >= 0; i--) {
                JsonObject message = items.getJsonObject(i);
                String guid = message.getString("guid");
                String conversation = message.getString("conversationGuid");
                String at = where.get(guid);
                String author = message.getString("author");
                String why = null;
                if (!shared.containsKey(conversation)) {
                    why = "its conversation is not among those copied to this pod";
                } else if (at != null && !at.equals(conversation)) {
                    why = TAKEN;
                } else if (shared.get(conversation)
                        && at == null
                        && !author.equalsIgnoreCase(job.oldHandle())
                        && !author.equalsIgnoreCase(job.newHandle())) {
                    why = "is not yours, and its conversation already lives on this pod with what its people wrote";
                }
                if (why != null) {
                    items.remove(i);
                    leftOut.add(new LeftOut("messages", guid, why));
                }
            }
            return leftOut;
        }));
    }

    private static void remove(JsonArray items, String collection, Set<String> taken, List<LeftOut> leftOut) {
        if (taken.isEmpty()) {
            return;
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            String guid = items.getJsonObject(i).getString("guid");
            if (taken.contains(guid)) {
                items.remove(i);
                leftOut.add(new LeftOut(collection, guid, TAKEN));
            }
        }
    }
}
