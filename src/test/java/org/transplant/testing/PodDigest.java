package org.transplant.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.transplant.migration.export.NotificationExporter;

/**
 * One account's whole content on a pod, read from the pod's own database, as one SHA-256 digest per collection of
 * what must survive a move. What legitimately changes with a move is left out or normalised: the account's own
 * handle (old on the old pod, new on the new one) reads "~self" wherever it appears (authors, participants, actors),
 * and local ids, change sequence numbers, file names and photo links are not read at all. Times are compared to the
 * microsecond.
 */
public final class PodDigest {

    /** The handle of the account itself, wherever content names it. */
    public static final String SELF = "~self";

    private final String what;
    private final Map<String, List<String>> collections;

    private PodDigest(String what, Map<String, List<String>> collections) {
        this.what = what;
        this.collections = collections;
    }

    /**
     * Reads the whole account {@code username} of {@code pod}, whose handle there is {@code ownHandle}: every
     * notification too, so that one written twice shows (notifications have no guid to keep them unique).
     */
    public static PodDigest of(PodProcess pod, String username, String ownHandle) throws Exception {
        return read(pod, username, ownHandle, Integer.MAX_VALUE);
    }

    /**
     * Reads what a move carries of the account {@code username} of an old pod: as {@link #of}, but only the newest
     * notifications (the export's {@link NotificationExporter#RECENT}); older ones are noise on a new pod.
     */
    public static PodDigest ofWhatMoves(PodProcess pod, String username, String ownHandle) throws Exception {
        return read(pod, username, ownHandle, NotificationExporter.RECENT);
    }

    private static PodDigest read(PodProcess pod, String username, String ownHandle, int notifications)
            throws Exception {
        return read(sql -> PodDatabase.query(pod, sql), username, ownHandle, notifications);
    }

    /** A way to run a query and get its rows as lines of values joined by {@code |}: a pod process, a test's pool. */
    public interface Rows {
        List<String> query(String sql) throws Exception;
    }

    /** As {@link #ofWhatMoves(PodProcess, String, String)}, reading with {@code rows} (an in-test pod's own pool). */
    public static PodDigest ofWhatMoves(Rows rows, String username, String ownHandle) throws Exception {
        return read(rows, username, ownHandle, NotificationExporter.RECENT);
    }

    private static PodDigest read(Rows rows, String username, String ownHandle, int notifications) throws Exception {
        Map<String, List<String>> read = new LinkedHashMap<>();
        for (Map.Entry<String, String> query :
                queries(username, ownHandle, notifications).entrySet()) {
            read.put(query.getKey(), rows.query(query.getValue()));
        }
        return new PodDigest(ownHandle, read);
    }

    /** A digest of items already read ({@code what} names whose they are in messages). */
    static PodDigest of(String what, Map<String, List<String>> collections) {
        return new PodDigest(what, new LinkedHashMap<>(collections));
    }

    /** The collections, in a fixed order, each with its SHA-256. */
    public Map<String, String> digests() throws Exception {
        Map<String, String> digests = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> collection : collections.entrySet()) {
            digests.put(collection.getKey(), PodDatabase.digest(collection.getValue()));
        }
        return digests;
    }

    /** The normalised items of one collection, one line each, in a fixed order. */
    public List<String> items(String collection) {
        return collections.get(collection);
    }

    /**
     * Fails unless every collection's digest equals {@code expected}'s, naming each collection that differs with
     * its first differing item and both counts.
     */
    public void assertSameAs(PodDigest expected) throws Exception {
        List<String> differences = new ArrayList<>();
        Map<String, String> mine = digests();
        Map<String, String> theirs = expected.digests();
        for (String collection : theirs.keySet()) {
            if (!theirs.get(collection).equals(mine.get(collection))) {
                differences.add(difference(collection, expected.items(collection), items(collection)));
            }
        }
        if (!differences.isEmpty()) {
            throw new AssertionError("The content of " + what + " differs from that of " + expected.what + ":\n  "
                    + String.join("\n  ", differences));
        }
    }

    /** Fails unless every collection of the digest holds at least one item: a digest of nothing proves nothing. */
    public void assertNoneEmpty() {
        List<String> empty = collections.entrySet().stream()
                .filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
        if (!empty.isEmpty()) {
            throw new AssertionError(what + " holds nothing in " + empty);
        }
    }

    private static String difference(String collection, List<String> expected, List<String> actual) {
        int i = 0;
        while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
            i++;
        }
        return collection + " (" + expected.size() + " items expected, " + actual.size() + " found): first difference"
                + " at item " + i + ": expected " + (i < expected.size() ? "[" + expected.get(i) + "]" : "nothing")
                + " but found " + (i < actual.size() ? "[" + actual.get(i) + "]" : "nothing");
    }

    /** One query per collection; each yields the collection's items in an order that does not depend on ids. */
    private static Map<String, String> queries(String username, String ownHandle, int notifications) {
        String me = "(SELECT id FROM accounts WHERE username = " + literal(username) + ")";
        String self = literal(ownHandle.toLowerCase(Locale.ROOT));
        Map<String, String> q = new LinkedHashMap<>();
        q.put(
                "profile",
                "SELECT first_name, last_name, bio, avatar_url, location, birthday, gender, tag_string, searchable,"
                        + " nsfw, public_details FROM profiles WHERE account_id = " + me);
        q.put(
                "settings",
                "SELECT language, disable_mail, show_community_spotlight, auto_follow_back, auto_follow_back_aspect,"
                        + " default_post_visibility FROM account_settings WHERE account_id = " + me);
        q.put("aspects", "SELECT name FROM aspects WHERE account_id = " + me + " ORDER BY name");
        q.put(
                "contacts",
                "SELECT x.handle, x.person_guid, x.display_name, x.public_key_pem, x.following, x.follower,"
                        + " x.blocked, " + micros("x.created_at") + ", (SELECT string_agg(a.name, ',' ORDER BY a.name)"
                        + " FROM contact_aspects ca JOIN aspects a ON a.id = ca.aspect_id WHERE ca.contact_id = x.id)"
                        + " FROM contacts x WHERE x.account_id = " + me + " ORDER BY x.handle");
        q.put(
                "posts",
                "SELECT x.guid, x.text, x.public, x.root_guid, " + micros("x.created_at")
                        + ", (SELECT string_agg(a.name, ',' ORDER BY a.name) FROM post_aspects pa"
                        + " JOIN aspects a ON a.id = pa.aspect_id WHERE pa.post_id = x.id)"
                        + " FROM posts x WHERE x.account_id = " + me + " ORDER BY x.guid");
        q.put(
                "comments",
                "SELECT p.guid, c.guid, " + handle("c.author_handle", self) + ", c.text, " + micros("c.created_at")
                        + " FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = " + me
                        + " ORDER BY c.guid");
        q.put(
                "likes",
                "SELECT p.guid, l.guid, " + handle("l.author_handle", self) + ", l.positive, " + micros("l.created_at")
                        + " FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = " + me
                        + " ORDER BY l.guid");
        q.put(
                "photos",
                "SELECT x.guid, p.guid, x.public, x.content_type, x.size_bytes, x.sha256, x.width, x.height,"
                        + " x.caption, " + micros("x.created_at")
                        + " FROM photos x LEFT JOIN posts p ON p.id = x.post_id"
                        + " WHERE x.account_id = " + me + " ORDER BY x.guid");
        String mine =
                " WHERE c.id IN (SELECT conversation_id FROM conversation_participants WHERE account_id = " + me + ")";
        q.put(
                "conversations",
                "SELECT c.guid, c.subject, " + handle("c.author_handle", self) + ", " + micros("c.created_at")
                        + ", (SELECT string_agg(" + handle("cp.handle", self) + ", ',' ORDER BY "
                        + handle("cp.handle", self) + ") FROM conversation_participants cp"
                        + " WHERE cp.conversation_id = c.id) FROM conversations c" + mine + " ORDER BY c.guid");
        q.put(
                "messages",
                "SELECT c.guid, m.guid, " + handle("m.author_handle", self) + ", m.text, " + micros("m.created_at")
                        + " FROM messages m JOIN conversations c ON c.id = m.conversation_id" + mine
                        + " ORDER BY m.guid");
        q.put(
                "tag-followings",
                "SELECT tag, " + micros("created_at") + " FROM tag_followings WHERE account_id = " + me
                        + " ORDER BY tag");
        q.put(
                "notifications",
                "SELECT kind, actor, target_guid, unread, at FROM (SELECT kind, " + handle("actor_handle", self)
                        + " AS actor, target_guid, unread, " + micros("created_at") + " AS at FROM notifications"
                        + " WHERE account_id = " + me + " ORDER BY created_at DESC, id DESC LIMIT "
                        + notifications + ") recent ORDER BY at, kind, actor, target_guid, unread");
        return q;
    }

    private static String micros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }

    private static String handle(String column, String self) {
        return "(CASE WHEN lower(" + column + ") = " + self + " THEN '" + SELF + "' ELSE " + column + " END)";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
