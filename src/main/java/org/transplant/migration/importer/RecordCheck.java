package org.transplant.migration.importer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.migration.importer.RecordFields.Invalid;

/**
 * The one validation step every page from an old pod goes through before anything of it is written: each record's
 * fields are checked for type, shape and length as this pod checks its own people's input, and what a record says
 * was written by someone on this pod is taken only from the mover. A record that fails is left out and reported;
 * the rest of the page goes on.
 */
final class RecordCheck {

    // The same bounds as this pod's own rules (PostService, ConversationService, AspectService, ProfileRules).
    static final int MAX_TEXT = 65_535;
    static final int MAX_SUBJECT = 255;
    static final int MAX_ASPECT = 64;
    static final int MAX_SHORT = 255;
    static final int MAX_KEY_PEM = 16_384;
    static final int MAX_LIST = 1_000;
    static final int MAX_PARTICIPANTS = 100;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern KIND = Pattern.compile("[a-z_]{1,32}");
    /** What a guid, a handle (user@host:port) or a tag can look like: no spaces, no markup, bounded. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@:-]{1,128}");

    private static final Set<String> TOMBSTONE_KINDS =
            Set.of("post", "comment", "like", "photo", "contact", "tag_following");

    /** Whose import this is: the mover's old and new handles, and the host of this pod's own people. */
    record Mover(String oldHandle, String newHandle, String localHost) {

        /** The handle the record will carry here: the mover's old one becomes the new one. */
        String renamed(String handle) {
            return handle.equalsIgnoreCase(oldHandle) ? newHandle : handle;
        }

        /** Someone of this pod other than the mover: an old pod cannot vouch for what they wrote. */
        boolean forgedLocal(String handle) {
            String here = renamed(handle);
            return here.substring(here.indexOf('@') + 1).equalsIgnoreCase(localHost)
                    && !here.equalsIgnoreCase(newHandle);
        }
    }

    /** What of a page may be written, and what was left out. */
    record Checked(JsonArray items, List<LeftOut> leftOut) {}

    private final Mover mover;
    private final List<LeftOut> leftOut = new ArrayList<>();

    private RecordCheck(Mover mover) {
        this.mover = mover;
    }

    static Checked check(String collection, JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        JsonArray kept = new JsonArray();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.getValue(i);
            String key = keyOf(item, collection, i);
            try {
                RecordFields fields = RecordFields.of(item);
                String checkedKey = check.one(collection, fields);
                // One record per key and page: a page that names a key twice keeps the first.
                if (!keys.add(checkedKey)) {
                    throw new Invalid("appears twice on one page");
                }
                kept.add(fields.record());
            } catch (Invalid e) {
                check.leftOut.add(new LeftOut(collection, key, e.getMessage()));
            }
        }
        return new Checked(kept, check.leftOut);
    }

    /**
     * The comments or likes of one post (embedded, or read from the post's own collection), checked alike:
     * what fails is dropped from the post and reported.
     */
    static List<LeftOut> checkInteractions(JsonObject post, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        check.interactions(post, "comments");
        check.interactions(post, "likes");
        return check.leftOut;
    }

    /** Checks one record and answers its key; throws Invalid. */
    private String one(String collection, RecordFields f) {
        return switch (collection) {
            case "contacts" -> contact(f);
            case "posts" -> post(f);
            case "photos" -> photo(f);
            case "conversations" -> conversation(f);
            case "messages" -> message(f);
            case "tag-followings" -> tagFollowing(f);
            case "notifications" -> notification(f);
            case "tombstones" -> tombstone(f);
            default -> throw new Invalid("belongs to no collection this pod imports");
        };
    }

    private String contact(RecordFields f) {
        String handle = f.handle("handle");
        f.record().put("handle", handle);
        if (f.record().getValue("personGuid") != null) {
            f.text("personGuid", 1, MAX_SHORT);
        }
        f.text("displayName", 0, MAX_SHORT);
        f.text("publicKey", 0, MAX_KEY_PEM);
        f.bool("following");
        f.bool("follower");
        f.bool("blocked");
        f.texts("aspects", MAX_ASPECT, MAX_LIST);
        f.time("createdAt");
        return handle;
    }

    /** A post's own fields; its comments and likes are checked by {@link #checkInteractions}. */
    private String post(RecordFields f) {
        String guid = f.guid("guid");
        f.text("text", 0, MAX_TEXT);
        f.bool("public");
        f.texts("aspects", MAX_ASPECT, MAX_LIST);
        f.optionalGuid("rootGuid");
        f.time("createdAt");
        for (Object photo : f.array("photos", MAX_LIST)) {
            if (!(photo instanceof String)) {
                throw new Invalid("photos must hold guids");
            }
        }
        f.count("commentCount", Integer.MAX_VALUE);
        f.count("likeCount", Integer.MAX_VALUE);
        // Read here so that a list of the wrong type fails the post, not the write.
        f.array("comments", Integer.MAX_VALUE);
        f.array("likes", Integer.MAX_VALUE);
        return guid;
    }

    private void interactions(JsonObject post, String kind) {
        String postGuid = post.getString("guid");
        JsonArray kept = new JsonArray();
        Set<String> guids = new HashSet<>();
        JsonArray all = post.getJsonArray(kind, new JsonArray());
        for (int i = 0; i < all.size(); i++) {
            Object item = all.getValue(i);
            try {
                RecordFields f = RecordFields.of(item);
                String guid = f.guid("guid");
                if (f.record().getValue("postGuid") != null
                        && !postGuid.equals(f.record().getValue("postGuid"))) {
                    throw new Invalid("names another post");
                }
                String author = author(f, "author");
                if (kind.equals("comments")) {
                    f.text("text", 1, MAX_TEXT);
                } else {
                    if (f.record().getValue("positive") == null) {
                        f.record().put("positive", true);
                    }
                    f.bool("positive");
                }
                f.time("createdAt");
                if (!guids.add(guid)) {
                    throw new Invalid("appears twice on one post");
                }
                kept.add(f.record());
            } catch (Invalid e) {
                leftOut.add(new LeftOut(kind, keyOf(item, kind, i), e.getMessage()));
            }
        }
        post.put(kind, kept);
    }

    private String photo(RecordFields f) {
        String guid = f.guid("guid");
        f.optionalGuid("postGuid");
        f.bool("public");
        f.text("contentType", 1, MAX_SHORT);
        f.record().put("size", f.count("size", Long.MAX_VALUE));
        f.sha256("sha256");
        f.record().put("width", f.count("width", Integer.MAX_VALUE));
        f.record().put("height", f.count("height", Integer.MAX_VALUE));
        f.text("caption", 0, MAX_TEXT);
        f.time("createdAt");
        return guid;
    }

    private String conversation(RecordFields f) {
        String guid = f.guid("guid");
        f.text("subject", 1, MAX_SUBJECT);
        author(f, "author");
        f.time("createdAt");
        f.record()
                .put("participants", new JsonArray(new ArrayList<Object>(f.handles("participants", MAX_PARTICIPANTS))));
        JsonArray kept = new JsonArray();
        Set<String> guids = new HashSet<>();
        JsonArray messages = f.array("messages", Integer.MAX_VALUE);
        for (int i = 0; i < messages.size(); i++) {
            Object item = messages.getValue(i);
            try {
                RecordFields m = RecordFields.of(item);
                String messageGuid = m.guid("guid");
                author(m, "author");
                m.text("text", 1, MAX_TEXT);
                m.time("createdAt");
                if (!guids.add(messageGuid)) {
                    throw new Invalid("appears twice in one conversation");
                }
                kept.add(m.record());
            } catch (Invalid e) {
                leftOut.add(new LeftOut("messages", keyOf(item, "messages", i), e.getMessage()));
            }
        }
        f.record().put("messages", kept);
        return guid;
    }

    /** A message of the messages collection: as one embedded in a conversation, and naming its conversation. */
    private String message(RecordFields f) {
        String guid = f.guid("guid");
        f.guid("conversationGuid");
        author(f, "author");
        f.text("text", 1, MAX_TEXT);
        f.time("createdAt");
        return guid;
    }

    private String tagFollowing(RecordFields f) {
        String tag = f.text("tag", 1, 64);
        if (!TAG.matcher(tag).matches()) {
            throw new Invalid("tag has 1 to 64 letters, digits or underscores");
        }
        f.time("createdAt");
        return tag;
    }

    private String notification(RecordFields f) {
        String kind = f.text("kind", 1, 32);
        if (!KIND.matcher(kind).matches()) {
            throw new Invalid("kind is not a kind of notification");
        }
        f.record().put("actor", f.handle("actor"));
        f.optionalGuid("target");
        f.bool("unread");
        f.time("createdAt");
        // Notifications have no key of their own; each is its own record.
        return kind + "#" + System.identityHashCode(f.record());
    }

    private String tombstone(RecordFields f) {
        String kind = f.text("kind", 1, 32);
        if (!TOMBSTONE_KINDS.contains(kind)) {
            throw new Invalid("kind is not a kind of deletion");
        }
        return kind + ":" + f.text("guid", 1, MAX_SHORT);
    }

    /** An author's handle, lower case; one of this pod's people other than the mover is refused. */
    private String author(RecordFields f, String field) {
        String handle = f.handle(field);
        if (mover.forgedLocal(handle)) {
            throw new Invalid("says it was written by " + handle + ", an account of this pod, which only this pod"
                    + " can vouch for");
        }
        f.record().put(field, handle);
        return handle;
    }

    /** How the report names an item: its guid (or handle, tag) if it has a text one, else its place on the page. */
    static String keyOf(Object item, String collection, int index) {
        if (item instanceof JsonObject object) {
            for (String field : new String[] {"guid", "handle", "tag"}) {
                // Only a key of a key's shape: the report is read by the person, and a "guid" could be prose.
                if (object.getValue(field) instanceof String key
                        && KEY.matcher(key).matches()) {
                    return key;
                }
            }
        }
        return collection + "[" + index + "]";
    }
}
