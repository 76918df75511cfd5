package org.transplant.migration.importer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.ContactRecord;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.migration.api.ExportRecords.NotificationRecord;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.ExportRecords.TagFollowingRecord;
import org.transplant.migration.api.ExportRecords.TombstoneRecord;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.migration.importer.RecordFields.Invalid;

/**
 * The one validation step every page from an old pod goes through before anything of it is written: each record's
 * fields are checked for type, shape and length as this pod checks its own people's input, and what a record says
 * was written by someone on this pod is taken only from the mover. What passes comes out as the typed v1 records of
 * {@code migration.api}, built from the checked fields only; everything after this step reads those, never the old
 * pod's JSON. A record that fails is left out and reported; the rest of the page goes on.
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

    /**
     * A post whose own fields passed, with its comments and likes as the old pod sent them (each a list, its items
     * not checked yet): a post with more than it embeds gets the rest from its own collection first, and then
     * {@link #interactions} checks them all.
     */
    record PendingPost(PostRecord post, JsonArray comments, JsonArray likes) {}

    private final Mover mover;
    private final List<LeftOut> leftOut = new ArrayList<>();

    private RecordCheck(Mover mover) {
        this.mover = mover;
    }

    static Checked<ContactRecord> contacts(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("contacts", items, check::contact, ContactRecord::handle);
    }

    /** Posts with their own fields checked; their comments and likes are checked by {@link #interactions}. */
    static Checked<PendingPost> posts(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("posts", items, check::post, pending -> pending.post().guid());
    }

    static Checked<PhotoRecord> photos(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("photos", items, check::photo, PhotoRecord::guid);
    }

    static Checked<ConversationRecord> conversations(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("conversations", items, check::conversation, ConversationRecord::guid);
    }

    static Checked<MessageRecord> messages(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("messages", items, check::message, MessageRecord::guid);
    }

    static Checked<TagFollowingRecord> tagFollowings(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("tag-followings", items, check::tagFollowing, TagFollowingRecord::tag);
    }

    /** Notifications have no key of their own; each is its own record. */
    static Checked<NotificationRecord> notifications(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page("notifications", items, check::notification, notification -> null);
    }

    static Checked<TombstoneRecord> tombstones(JsonArray items, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        return check.page(
                "tombstones", items, check::tombstone, tombstone -> tombstone.kind() + ":" + tombstone.guid());
    }

    /**
     * The comments and likes of each post (embedded, or read from the post's own collection), checked alike: what
     * fails is dropped from its post and reported.
     */
    static Checked<PostRecord> interactions(List<PendingPost> posts, Mover mover) {
        RecordCheck check = new RecordCheck(mover);
        List<PostRecord> kept = new ArrayList<>();
        for (PendingPost pending : posts) {
            PostRecord p = pending.post();
            List<CommentRecord> comments = check.list(
                    "comments",
                    pending.comments(),
                    f -> check.comment(f, p.guid()),
                    CommentRecord::guid,
                    "appears twice on one post");
            List<LikeRecord> likes = check.onePerPerson(check.list(
                    "likes",
                    pending.likes(),
                    f -> check.like(f, p.guid()),
                    LikeRecord::guid,
                    "appears twice on one post"));
            kept.add(p.withInteractions(comments, likes));
        }
        return new Checked<>(kept, check.leftOut);
    }

    /**
     * One like per person on a post, as this pod keeps them: a second by the same person (the mover under either
     * handle) in the post's list is left out and reported, where the database would have dropped it unsaid. The
     * first is kept even if its guid turns out to be someone else's here (then both are missing, both reported); a
     * like already written by an earlier read or a delta round is replaced by the new one ({@code
     * ImportWriters.replacedLikes}).
     */
    private List<LikeRecord> onePerPerson(List<LikeRecord> likes) {
        Set<String> people = new HashSet<>();
        List<LikeRecord> kept = new ArrayList<>();
        for (LikeRecord like : likes) {
            if (people.add(mover.renamed(like.author()))) {
                kept.add(like);
            } else {
                leftOut.add(new LeftOut("likes", like.guid(), "is a second like by " + like.author() + " on one post"));
            }
        }
        return kept;
    }

    private <T> Checked<T> page(
            String collection, JsonArray items, Function<RecordFields, T> read, Function<T, String> key) {
        return new Checked<>(list(collection, items, read, key, "appears twice on one page"), leftOut);
    }

    /**
     * The items that pass {@code read}, one per key (on a page, in a post, in a conversation): a second item of a
     * key is left out ({@code twice} says why), the first is kept.
     */
    private <T> List<T> list(
            String collection, JsonArray items, Function<RecordFields, T> read, Function<T, String> key, String twice) {
        List<T> kept = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.getValue(i);
            try {
                T record = read.apply(RecordFields.of(item));
                String checkedKey = key.apply(record);
                if (checkedKey != null && !keys.add(checkedKey)) {
                    throw new Invalid(twice);
                }
                kept.add(record);
            } catch (Invalid e) {
                leftOut.add(new LeftOut(collection, keyOf(item, collection, i), e.getMessage()));
            }
        }
        return kept;
    }

    private ContactRecord contact(RecordFields f) {
        String handle = f.handle("handle");
        String personGuid = f.has("personGuid") ? f.text("personGuid", 1, MAX_SHORT) : null;
        String displayName = f.text("displayName", 0, MAX_SHORT);
        String publicKey = f.text("publicKey", 0, MAX_KEY_PEM);
        boolean following = f.bool("following");
        boolean follower = f.bool("follower");
        boolean blocked = f.bool("blocked");
        List<String> aspects = f.texts("aspects", MAX_ASPECT, MAX_LIST);
        Instant createdAt = f.time("createdAt");
        return new ContactRecord(
                handle, personGuid, displayName, publicKey, following, follower, blocked, aspects, createdAt);
    }

    /** A post's own fields; its comments and likes are checked by {@link #interactions}. */
    private PendingPost post(RecordFields f) {
        String guid = f.guid("guid");
        String text = f.text("text", 0, MAX_TEXT);
        // A post that does not say is public, as it was on the old pod's side of format 1.0.
        boolean isPublic = f.bool("public", true);
        List<String> aspects = f.texts("aspects", MAX_ASPECT, MAX_LIST);
        String rootGuid = f.optionalGuid("rootGuid");
        Instant createdAt = f.time("createdAt");
        List<String> photos = new ArrayList<>();
        for (Object photo : f.array("photos", MAX_LIST)) {
            if (!(photo instanceof String photoGuid)) {
                throw new Invalid("photos must hold guids");
            }
            photos.add(photoGuid);
        }
        long commentCount = f.count("commentCount", Integer.MAX_VALUE);
        long likeCount = f.count("likeCount", Integer.MAX_VALUE);
        // Read here so that a list of the wrong type fails the post, not the write.
        JsonArray comments = f.array("comments", Integer.MAX_VALUE);
        JsonArray likes = f.array("likes", Integer.MAX_VALUE);
        return new PendingPost(
                new PostRecord(
                        guid,
                        text,
                        isPublic,
                        aspects,
                        rootGuid,
                        createdAt,
                        photos,
                        commentCount,
                        likeCount,
                        List.of(),
                        List.of()),
                comments,
                likes);
    }

    private CommentRecord comment(RecordFields f, String postGuid) {
        String guid = f.guid("guid");
        if (!f.absentOr("postGuid", postGuid)) {
            throw new Invalid("names another post");
        }
        String author = author(f, "author");
        String text = f.text("text", 1, MAX_TEXT);
        return new CommentRecord(guid, postGuid, author, text, f.time("createdAt"));
    }

    private LikeRecord like(RecordFields f, String postGuid) {
        String guid = f.guid("guid");
        if (!f.absentOr("postGuid", postGuid)) {
            throw new Invalid("names another post");
        }
        String author = author(f, "author");
        // A like that does not say is a like, not a dislike.
        boolean positive = f.bool("positive", true);
        return new LikeRecord(guid, postGuid, author, positive, f.time("createdAt"));
    }

    private PhotoRecord photo(RecordFields f) {
        String guid = f.guid("guid");
        String postGuid = f.optionalGuid("postGuid");
        boolean isPublic = f.bool("public", true);
        String contentType = f.text("contentType", 1, MAX_SHORT);
        long size = f.count("size", Long.MAX_VALUE);
        String sha256 = f.sha256("sha256");
        int width = (int) f.count("width", Integer.MAX_VALUE);
        int height = (int) f.count("height", Integer.MAX_VALUE);
        String caption = f.text("caption", 0, MAX_TEXT);
        Instant createdAt = f.time("createdAt");
        // The content (an archive's inline bytes) is never taken from a page: the bytes come from their own URL.
        return new PhotoRecord(
                guid, postGuid, isPublic, contentType, size, sha256, width, height, caption, createdAt, null);
    }

    private ConversationRecord conversation(RecordFields f) {
        String guid = f.guid("guid");
        String subject = f.text("subject", 1, MAX_SUBJECT);
        String author = author(f, "author");
        Instant createdAt = f.time("createdAt");
        List<String> participants = f.handles("participants", MAX_PARTICIPANTS);
        List<MessageRecord> messages = list(
                "messages",
                f.array("messages", Integer.MAX_VALUE),
                m -> embeddedMessage(m, guid),
                MessageRecord::guid,
                "appears twice in one conversation");
        return new ConversationRecord(guid, subject, author, participants, createdAt, messages, messages.size());
    }

    /** A message a conversation embeds: it belongs to that conversation, whatever else it names. */
    private MessageRecord embeddedMessage(RecordFields m, String conversationGuid) {
        String guid = m.guid("guid");
        String author = author(m, "author");
        String text = m.text("text", 1, MAX_TEXT);
        return new MessageRecord(guid, conversationGuid, author, text, m.time("createdAt"));
    }

    /** A message of the messages collection: as one embedded in a conversation, and naming its conversation. */
    private MessageRecord message(RecordFields f) {
        String guid = f.guid("guid");
        String conversationGuid = f.guid("conversationGuid");
        String author = author(f, "author");
        String text = f.text("text", 1, MAX_TEXT);
        return new MessageRecord(guid, conversationGuid, author, text, f.time("createdAt"));
    }

    private TagFollowingRecord tagFollowing(RecordFields f) {
        String tag = f.text("tag", 1, 64);
        if (!TAG.matcher(tag).matches()) {
            throw new Invalid("tag has 1 to 64 letters, digits or underscores");
        }
        return new TagFollowingRecord(tag, f.time("createdAt"));
    }

    private NotificationRecord notification(RecordFields f) {
        String kind = f.text("kind", 1, 32);
        if (!KIND.matcher(kind).matches()) {
            throw new Invalid("kind is not a kind of notification");
        }
        String actor = f.handle("actor");
        String target = f.optionalGuid("target");
        boolean unread = f.bool("unread");
        return new NotificationRecord(kind, actor, target, unread, f.time("createdAt"));
    }

    /** What was deleted: its kind and key. Its place in the old pod's sequence and its time are not needed here. */
    private TombstoneRecord tombstone(RecordFields f) {
        String kind = f.text("kind", 1, 32);
        if (!TOMBSTONE_KINDS.contains(kind)) {
            throw new Invalid("kind is not a kind of deletion");
        }
        return new TombstoneRecord(kind, f.text("guid", 1, MAX_SHORT), 0, null);
    }

    /** An author's handle, lower case; one of this pod's people other than the mover is refused. */
    private String author(RecordFields f, String field) {
        String handle = f.handle(field);
        if (mover.forgedLocal(handle)) {
            throw new Invalid("says it was written by " + handle + ", an account of this pod, which only this pod"
                    + " can vouch for");
        }
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
