package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.transplant.migration.api.ExportRecords.AccountRecord;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.ContactRecord;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.migration.api.ExportRecords.NotificationRecord;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.ExportRecords.ProfileRecord;
import org.transplant.migration.api.ExportRecords.SettingsRecord;
import org.transplant.migration.api.ExportRecords.TagFollowingRecord;
import org.transplant.migration.api.ExportRecords.TombstoneRecord;
import org.transplant.pod.account.HeldGuids;

/**
 * Writes one page of an old pod's collection into the new account, inside the caller's transaction: bulk
 * {@code unnest} inserts, idempotent by guid (a page read twice after a crash changes nothing), original times
 * kept, each row given a change sequence of the new account. Nothing here notifies anyone. It takes the typed v1
 * records that {@link RecordCheck} (and {@link AccountDocument}) built from checked fields, never the old pod's JSON.
 */
@ApplicationScoped
public class ImportWriters {

    private final HeldGuids heldGuids;

    public ImportWriters(HeldGuids heldGuids) {
        this.heldGuids = heldGuids;
    }

    /** Profile, settings and aspects from the account document. */
    public Uni<Void> account(SqlConnection c, long accountId, AccountRecord account) {
        ProfileRecord p = account.profile();
        SettingsRecord s = account.settings();
        List<String> tags = p.tags() == null ? List.of() : p.tags();
        String tagString = tags.isEmpty()
                ? null
                : String.join(" ", tags.stream().map(t -> "#" + t).toList());
        return c.preparedQuery("UPDATE profiles SET first_name = $2, last_name = $3, bio = $4, avatar_url = $5,"
                        + " location = $6, birthday = $7, gender = $8, tag_string = $9, searchable = $10, nsfw = $11,"
                        + " public_details = $12, updated_at = now() WHERE account_id = $1")
                .execute(Tuple.from(Arrays.asList(
                        accountId,
                        p.firstName(),
                        p.lastName(),
                        p.bio(),
                        p.avatarUrl(),
                        p.location(),
                        p.birthday(),
                        p.gender(),
                        tagString,
                        p.searchable(),
                        p.nsfw(),
                        p.publicDetails())))
                .chain(() -> c.preparedQuery("UPDATE account_settings SET language = $2, disable_mail = $3,"
                                + " show_community_spotlight = $4, auto_follow_back = $5, auto_follow_back_aspect = $6,"
                                + " default_post_visibility = $7 WHERE account_id = $1")
                        .execute(Tuple.from(Arrays.asList(
                                accountId,
                                s.language(),
                                s.disableMail(),
                                s.showCommunitySpotlight(),
                                s.autoFollowBack(),
                                s.autoFollowBackAspect(),
                                s.defaultPostVisibility()))))
                .chain(() -> c.preparedQuery(
                                "INSERT INTO aspects (account_id, name)"
                                        + " SELECT $1, n FROM unnest($2::text[]) AS n ON CONFLICT (account_id, name) DO NOTHING")
                        .execute(Tuple.of(accountId, account.aspects().toArray(String[]::new))))
                .replaceWithVoid();
    }

    public Uni<Void> contacts(SqlConnection c, long accountId, List<ContactRecord> items, long firstSeq) {
        int n = items.size();
        String[] handles = new String[n], guids = new String[n], names = new String[n], keys = new String[n];
        Boolean[] following = new Boolean[n], follower = new Boolean[n], blocked = new Boolean[n];
        Long[] seqs = new Long[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        List<String> aspectHandles = new ArrayList<>();
        List<String> aspectNames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ContactRecord x = items.get(i);
            handles[i] = x.handle();
            guids[i] = x.personGuid();
            names[i] = x.displayName();
            keys[i] = x.publicKey();
            following[i] = x.following();
            follower[i] = x.follower();
            blocked[i] = x.blocked();
            seqs[i] = firstSeq + i;
            times[i] = time(x.createdAt());
            for (String aspect : x.aspects()) {
                aspectHandles.add(handles[i]);
                aspectNames.add(aspect);
            }
        }
        return c.preparedQuery("INSERT INTO contacts (account_id, handle, person_guid, display_name, public_key_pem,"
                        + " following, follower, blocked, seq, created_at) SELECT $1, u.* FROM unnest($2::text[], $3::text[],"
                        + " $4::text[], $5::text[], $6::bool[], $7::bool[], $8::bool[], $9::bigint[], $10::timestamptz[]) AS u"
                        // A contact changed on the old pod after the first pass comes again with the delta: its state
                        // wins.
                        + " ON CONFLICT (account_id, handle) DO UPDATE SET person_guid = excluded.person_guid,"
                        + " display_name = excluded.display_name, public_key_pem = excluded.public_key_pem,"
                        + " following = excluded.following, follower = excluded.follower, blocked = excluded.blocked")
                .execute(Tuple.from(Arrays.asList(
                        accountId, handles, guids, names, keys, following, follower, blocked, seqs, times)))
                .chain(() -> c.preparedQuery("INSERT INTO contact_aspects (contact_id, aspect_id)"
                                + " SELECT ct.id, a.id FROM unnest($2::text[], $3::text[]) AS u(handle, name)"
                                + " JOIN contacts ct ON ct.account_id = $1 AND ct.handle = u.handle"
                                + " JOIN aspects a ON a.account_id = $1 AND a.name = u.name ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(
                                accountId, aspectHandles.toArray(String[]::new), aspectNames.toArray(String[]::new))))
                .replaceWithVoid();
    }

    /** Rows of a posts page that carry a sequence: each post, comment and like. */
    public static int postRows(List<PostRecord> items) {
        int rows = 0;
        for (PostRecord post : items) {
            rows += 1 + post.comments().size() + post.likes().size();
        }
        return rows;
    }

    /**
     * Posts with their comments and likes; what the mover wrote under the old handle is under the new one now.
     * Answers the comments and likes that were not written because their guid is someone else's here: their unique
     * index meets them while they are inserted, so only those it turns away are looked up (GuidClaims took out the
     * posts before).
     */
    public Uni<List<ImportReport.LeftOut>> posts(
            SqlConnection c,
            long accountId,
            String oldHandle,
            String newHandle,
            List<PostRecord> items,
            long firstSeq) {
        long seq = firstSeq;
        int n = items.size();
        String[] guids = new String[n], texts = new String[n], roots = new String[n];
        Boolean[] isPublic = new Boolean[n];
        Long[] seqs = new Long[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        // Each row names its post by guid in column 1, which onPosts turns into the post's id here.
        Rows aspects = new Rows(), comments = new Rows(), likes = new Rows();
        for (int i = 0; i < n; i++) {
            PostRecord x = items.get(i);
            guids[i] = x.guid();
            texts[i] = x.text();
            isPublic[i] = x.isPublic();
            roots[i] = x.rootGuid();
            seqs[i] = seq++;
            times[i] = time(x.createdAt());
            for (String aspect : x.aspects()) {
                aspects.add(aspect, guids[i]);
            }
            for (CommentRecord cm : x.comments()) {
                comments.add(
                        cm.guid(),
                        guids[i],
                        renamed(cm.author(), oldHandle, newHandle),
                        cm.text(),
                        seq++,
                        time(cm.createdAt()));
            }
            for (LikeRecord l : x.likes()) {
                likes.add(
                        l.guid(),
                        guids[i],
                        renamed(l.author(), oldHandle, newHandle),
                        l.positive(),
                        seq++,
                        time(l.createdAt()));
            }
        }
        return c.preparedQuery("INSERT INTO posts (guid, account_id, text, public, root_guid, seq, created_at)"
                        + " SELECT u.guid, $1, u.text, u.public, u.root, u.seq, u.created_at FROM unnest($2::text[],"
                        + " $3::text[], $4::bool[], $5::text[], $6::bigint[], $7::timestamptz[])"
                        + " AS u(guid, text, public, root, seq, created_at) ON CONFLICT (guid) DO NOTHING"
                        + " RETURNING guid, id")
                .execute(Tuple.from(Arrays.asList(accountId, guids, texts, isPublic, roots, seqs, times)))
                .chain(inserted -> postIds(c, accountId, guids, inserted))
                .chain(ids -> {
                    // What hangs under the page's posts is written by post id: joining on posts.guid made the
                    // database read all of the account's posts again for every page.
                    Rows onAspects = onPosts(aspects, ids), onComments = onPosts(comments, ids);
                    Rows onLikes = onPosts(likes, ids);
                    return (onAspects.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : c.preparedQuery(
                                                    "INSERT INTO post_aspects (post_id, aspect_id) SELECT u.post_id, a.id"
                                                            + " FROM unnest($2::bigint[], $3::text[]) AS u(post_id, name)"
                                                            + " JOIN aspects a ON a.account_id = $1 AND a.name = u.name"
                                                            + " ON CONFLICT DO NOTHING")
                                            .execute(Tuple.of(
                                                    accountId,
                                                    onAspects.column(1, Long[]::new),
                                                    onAspects.column(0, String[]::new)))
                                            .replaceWithVoid())
                            .chain(() -> writtenGuids(
                                    c,
                                    "INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at)"
                                            + " SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[],"
                                            + " $5::bigint[], $6::timestamptz[]) ON CONFLICT (guid) DO NOTHING"
                                            + " RETURNING guid",
                                    onComments,
                                    String[]::new,
                                    Long[]::new,
                                    String[]::new,
                                    String[]::new,
                                    Long[]::new,
                                    OffsetDateTime[]::new))
                            .chain(writtenComments -> (onLikes.isEmpty()
                                            ? Uni.createFrom().voidItem()
                                            : replacedLikes(c, onLikes))
                                    .chain(() -> writtenGuids(
                                            c,
                                            "INSERT INTO likes (guid, post_id, author_handle, positive, seq, created_at)"
                                                    + " SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[],"
                                                    + " $4::bool[], $5::bigint[], $6::timestamptz[]) ON CONFLICT DO NOTHING"
                                                    + " RETURNING guid",
                                            onLikes,
                                            String[]::new,
                                            Long[]::new,
                                            String[]::new,
                                            Boolean[]::new,
                                            Long[]::new,
                                            OffsetDateTime[]::new))
                                    .chain(writtenLikes -> turnedAway(
                                            c,
                                            accountId,
                                            notIn(onComments, writtenComments),
                                            notIn(onLikes, writtenLikes))));
                });
    }

    /**
     * Of the comments and likes an insert did not write, those on posts of other accounts here: reported as left
     * out. The rest were this page's own earlier copies (a page read again).
     */
    private Uni<List<ImportReport.LeftOut>> turnedAway(
            SqlConnection c, long accountId, List<String> comments, List<String> likes) {
        if (comments.isEmpty() && likes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return heldGuids.onOthersPosts(c, accountId, List.of(), comments, likes).map(taken -> {
            List<ImportReport.LeftOut> leftOut = new ArrayList<>();
            for (String kind : List.of("comments", "likes")) {
                for (String guid : (kind.equals("comments") ? comments : likes)) {
                    if (taken.getOrDefault(kind, Set.of()).contains(guid)) {
                        leftOut.add(new ImportReport.LeftOut(kind, guid, GuidClaims.TAKEN));
                    }
                }
            }
            return leftOut;
        });
    }

    /**
     * Inserts {@code rows}, one array a column of the types given, with {@code sql} returning the guid of each row it
     * wrote; answers those guids.
     */
    @SafeVarargs
    private static Uni<Set<String>> writtenGuids(
            SqlConnection c, String sql, Rows rows, IntFunction<Object[]>... columns) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Object> arrays = new ArrayList<>(columns.length);
        for (int i = 0; i < columns.length; i++) {
            arrays.add(rows.column(i, columns[i]));
        }
        return c.preparedQuery(sql).execute(Tuple.from(arrays)).map(written -> {
            Set<String> guids = new HashSet<>();
            written.forEach(row -> guids.add(row.getString(0)));
            return guids;
        });
    }

    /** The guids (column 0) of {@code rows} that {@code written} does not hold. */
    private static List<String> notIn(Rows rows, Set<String> written) {
        List<String> missing = new ArrayList<>();
        for (Object[] row : rows.rows) {
            if (!written.contains((String) row[0])) {
                missing.add((String) row[0]);
            }
        }
        return missing;
    }

    /**
     * The id of each of the page's posts that is the mover's here: those just written, and those an earlier read of
     * the page wrote. A guid that is neither was taken by someone else's post after the claims check; nothing is
     * written under it.
     */
    private static Uni<Map<String, Long>> postIds(
            SqlConnection c, long accountId, String[] guids, RowSet<Row> inserted) {
        Map<String, Long> ids = new HashMap<>();
        inserted.forEach(row -> ids.put(row.getString(0), row.getLong(1)));
        if (ids.size() == guids.length) {
            return Uni.createFrom().item(ids);
        }
        String[] earlier = Arrays.stream(guids).filter(g -> !ids.containsKey(g)).toArray(String[]::new);
        return c.preparedQuery("SELECT x.guid, x.id FROM unnest($2::text[]) AS g(guid) CROSS JOIN LATERAL"
                        + " (SELECT p.guid, p.id FROM posts p WHERE p.guid = g.guid AND p.account_id = $1 LIMIT 1) x")
                .execute(Tuple.of(accountId, earlier))
                .map(rows -> {
                    rows.forEach(row -> ids.put(row.getString(0), row.getLong(1)));
                    return ids;
                });
    }

    /**
     * The rows whose post (column 1, by guid) is one of {@code ids}, with the post's id in that column (in place: the
     * rows were built for this page's write alone).
     */
    private static Rows onPosts(Rows rows, Map<String, Long> ids) {
        Rows on = new Rows();
        for (Object[] row : rows.rows) {
            Long id = ids.get((String) row[1]);
            if (id != null) {
                row[1] = id;
                on.add(row);
            }
        }
        return on;
    }

    /**
     * A person likes a post once: a like of the same person on the same post under another guid means they took the
     * old one back and liked again on the old pod (during the import), so the copy of the old one goes. Otherwise the
     * new one would meet the old one's place taken, and the old one's tombstone would then leave no like at all.
     */
    private static Uni<Void> replacedLikes(SqlConnection c, Rows likes) {
        // Not for a like whose guid is held already (by someone else: its insert will be turned away).
        return c.preparedQuery("DELETE FROM likes l USING unnest($1::text[], $2::bigint[], $3::text[])"
                        + " AS u(guid, post_id, author) WHERE l.post_id = u.post_id AND l.author_handle = u.author"
                        + " AND l.guid <> u.guid AND NOT EXISTS (SELECT 1 FROM likes h WHERE h.guid = u.guid)")
                .execute(Tuple.of(
                        likes.column(0, String[]::new), likes.column(1, Long[]::new), likes.column(2, String[]::new)))
                .replaceWithVoid();
    }

    /**
     * Photo rows for the photos that were copied or linked (the others are left out); a copied photo's file name,
     * type, size, digest and pixel size are what this pod found in the bytes it holds. A guid that is here already
     * changes nothing. Answers the file names of the rows written.
     */
    public Uni<List<String>> photos(
            SqlConnection c, long accountId, List<PhotoRecord> items, List<PhotoOutcome> outcomes, long firstSeq) {
        Rows rows = new Rows();
        for (int i = 0; i < items.size(); i++) {
            PhotoRecord x = items.get(i);
            if (outcomes.get(i) instanceof PhotoOutcome.Copied copied) {
                rows.add(
                        copied.guid(),
                        x.postGuid(),
                        x.isPublic(),
                        copied.fileName(),
                        null,
                        copied.image().contentType(),
                        copied.size(),
                        copied.sha256(),
                        copied.image().width(),
                        copied.image().height(),
                        x.caption(),
                        firstSeq + i,
                        time(x.createdAt()));
            } else if (outcomes.get(i) instanceof PhotoOutcome.Linked linked) {
                // The bytes stay on the old pod, which serves them; its description is all there is.
                rows.add(
                        linked.guid(),
                        x.postGuid(),
                        x.isPublic(),
                        null,
                        linked.url(),
                        x.contentType(),
                        x.size(),
                        x.sha256(),
                        x.width(),
                        x.height(),
                        x.caption(),
                        firstSeq + i,
                        time(x.createdAt()));
            }
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return c.preparedQuery("INSERT INTO photos (guid, account_id, post_id, public, file_name, remote_url,"
                        + " content_type, size_bytes, sha256, width, height, caption, seq, created_at)"
                        + " SELECT u.guid, $1, p.id, u.public, u.file_name, u.link, u.type, u.size, u.sha, u.width, u.height,"
                        + " u.caption, u.seq, u.created_at FROM unnest($2::text[], $3::text[], $4::bool[], $5::text[],"
                        + " $6::text[], $7::text[], $8::bigint[], $9::text[], $10::int[], $11::int[], $12::text[],"
                        + " $13::bigint[], $14::timestamptz[]) AS u(guid, post_guid, public, file_name, link, type, size, sha,"
                        + " width, height, caption, seq, created_at)"
                        + " LEFT JOIN posts p ON p.guid = u.post_guid AND p.account_id = $1 ON CONFLICT (guid) DO NOTHING"
                        + " RETURNING file_name")
                .execute(Tuple.from(Arrays.asList(
                        accountId,
                        rows.column(0, String[]::new),
                        rows.column(1, String[]::new),
                        rows.column(2, Boolean[]::new),
                        rows.column(3, String[]::new),
                        rows.column(4, String[]::new),
                        rows.column(5, String[]::new),
                        rows.column(6, Long[]::new),
                        rows.column(7, String[]::new),
                        rows.column(8, Integer[]::new),
                        rows.column(9, Integer[]::new),
                        rows.column(10, String[]::new),
                        rows.column(11, Long[]::new),
                        rows.column(12, OffsetDateTime[]::new))))
                .map(written -> {
                    List<String> files = new ArrayList<>();
                    written.forEach(row -> files.add(row.getString(0)));
                    return files;
                });
    }

    public Uni<Void> conversations(
            SqlConnection c,
            long accountId,
            String oldHandle,
            String newHandle,
            List<ConversationRecord> items,
            long firstSeq) {
        int n = items.size();
        String[] guids = new String[n], subjects = new String[n], authors = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Rows participants = new Rows(), messages = new Rows();
        for (int i = 0; i < n; i++) {
            ConversationRecord x = items.get(i);
            guids[i] = x.guid();
            subjects[i] = x.subject();
            authors[i] = renamed(x.author(), oldHandle, newHandle);
            times[i] = time(x.createdAt());
            for (String handle : x.participants()) {
                participants.add(guids[i], handle);
            }
            for (MessageRecord m : x.messages()) {
                messages.add(
                        m.guid(), guids[i], renamed(m.author(), oldHandle, newHandle), m.text(), time(m.createdAt()));
            }
        }
        return c.preparedQuery("INSERT INTO conversations (guid, subject, author_handle, created_at)"
                        + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])"
                        + " ON CONFLICT (guid) DO NOTHING")
                .execute(Tuple.of(guids, subjects, authors, times))
                // The old handle among the participants is this account now; the rest stay who they were.
                .chain(() -> c.preparedQuery("INSERT INTO conversation_participants (conversation_id, handle,"
                                + " account_id, seq) SELECT cv.id, u.handle, NULL::bigint, NULL::bigint"
                                + " FROM unnest($1::text[], $2::text[]) AS u(guid, handle)"
                                + " JOIN conversations cv ON cv.guid = u.guid WHERE u.handle <> $3"
                                + " UNION ALL SELECT cv.id, $4, $5, $6 FROM unnest($7::text[]) AS g(guid)"
                                + " JOIN conversations cv ON cv.guid = g.guid ON CONFLICT DO NOTHING")
                        .execute(Tuple.from(Arrays.asList(
                                participants.column(0, String[]::new),
                                participants.column(1, String[]::new),
                                oldHandle,
                                newHandle,
                                accountId,
                                firstSeq,
                                guids))))
                .chain(() -> c.preparedQuery(
                                "INSERT INTO messages (guid, conversation_id, author_handle, text,"
                                        + " created_at) SELECT u.guid, cv.id, u.author, u.text, u.created_at FROM unnest($1::text[],"
                                        + " $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(guid, conv, author, text,"
                                        + " created_at) JOIN conversations cv ON cv.guid = u.conv ON CONFLICT (guid) DO NOTHING")
                        .execute(Tuple.of(
                                messages.column(0, String[]::new),
                                messages.column(1, String[]::new),
                                messages.column(2, String[]::new),
                                messages.column(3, String[]::new),
                                messages.column(4, OffsetDateTime[]::new))))
                .replaceWithVoid();
    }

    /**
     * Messages of the messages collection, each into its conversation (copied by the conversations phase before);
     * what the mover wrote under the old handle is under the new one now. A guid here already changes nothing.
     */
    public Uni<Void> messages(SqlConnection c, String oldHandle, String newHandle, List<MessageRecord> items) {
        int n = items.size();
        String[] guids = new String[n], conversations = new String[n], authors = new String[n], texts = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            MessageRecord m = items.get(i);
            guids[i] = m.guid();
            conversations[i] = m.conversationGuid();
            authors[i] = renamed(m.author(), oldHandle, newHandle);
            texts[i] = m.text();
            times[i] = time(m.createdAt());
        }
        return c.preparedQuery("INSERT INTO messages (guid, conversation_id, author_handle, text, created_at)"
                        + " SELECT u.guid, cv.id, u.author, u.text, u.created_at FROM unnest($1::text[], $2::text[],"
                        + " $3::text[], $4::text[], $5::timestamptz[]) AS u(guid, conv, author, text, created_at)"
                        + " JOIN conversations cv ON cv.guid = u.conv ON CONFLICT (guid) DO NOTHING")
                .execute(Tuple.of(guids, conversations, authors, texts, times))
                .replaceWithVoid();
    }

    public Uni<Void> tagFollowings(SqlConnection c, long accountId, List<TagFollowingRecord> items, long firstSeq) {
        int n = items.size();
        String[] tags = new String[n];
        Long[] seqs = new Long[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            tags[i] = items.get(i).tag();
            seqs[i] = firstSeq + i;
            times[i] = time(items.get(i).createdAt());
        }
        return c.preparedQuery("INSERT INTO tag_followings (account_id, tag, seq, created_at) SELECT $1, u.*"
                        + " FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) AS u ON CONFLICT DO NOTHING")
                .execute(Tuple.of(accountId, tags, seqs, times))
                .replaceWithVoid();
    }

    /**
     * Notifications have no guid: one is known by what it says (kind, who, about what, when). A page read twice, or a
     * delta that serves the recent ones again, adds only those not here yet; none is replaced or lost.
     */
    public Uni<Void> notifications(SqlConnection c, long accountId, List<NotificationRecord> items) {
        int n = items.size();
        String[] kinds = new String[n], actors = new String[n], targets = new String[n];
        Boolean[] unread = new Boolean[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            NotificationRecord x = items.get(i);
            kinds[i] = x.kind();
            actors[i] = x.actor();
            targets[i] = x.target();
            unread[i] = x.unread();
            times[i] = time(x.createdAt());
        }
        return c.preparedQuery("INSERT INTO notifications (account_id, kind, actor_handle, target_guid, unread,"
                        + " created_at) SELECT DISTINCT ON (u.kind, u.actor, u.target, u.created_at) $1, u.kind, u.actor,"
                        + " u.target, u.unread, u.created_at FROM unnest($2::text[], $3::text[], $4::text[], $5::bool[],"
                        + " $6::timestamptz[]) AS u(kind, actor, target, unread, created_at) WHERE NOT EXISTS (SELECT 1"
                        + " FROM notifications o WHERE o.account_id = $1 AND o.kind = u.kind AND o.actor_handle = u.actor"
                        + " AND o.target_guid IS NOT DISTINCT FROM u.target AND o.created_at = u.created_at)")
                .execute(Tuple.of(accountId, kinds, actors, targets, unread, times))
                .replaceWithVoid();
    }

    /** Deletions on the old pod (a delta carries them): the copy goes too. */
    public Uni<Void> tombstones(SqlConnection c, long accountId, List<TombstoneRecord> items) {
        Map<String, List<String>> byKind = new HashMap<>();
        for (TombstoneRecord x : items) {
            byKind.computeIfAbsent(x.kind(), k -> new ArrayList<>()).add(x.guid());
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var kind : byKind.entrySet()) {
            String sql = switch (kind.getKey()) {
                case "post" -> "DELETE FROM posts WHERE account_id = $1 AND guid = ANY($2)";
                case "comment" ->
                    "DELETE FROM comments WHERE guid = ANY($2)"
                            + " AND post_id IN (SELECT id FROM posts WHERE account_id = $1)";
                case "like" ->
                    "DELETE FROM likes WHERE guid = ANY($2)"
                            + " AND post_id IN (SELECT id FROM posts WHERE account_id = $1)";
                case "photo" -> "DELETE FROM photos WHERE account_id = $1 AND guid = ANY($2)";
                case "contact" -> "DELETE FROM contacts WHERE account_id = $1 AND handle = ANY($2)";
                case "tag_following" -> "DELETE FROM tag_followings WHERE account_id = $1 AND tag = ANY($2)";
                default -> null;
            };
            if (sql != null) {
                String[] keys = kind.getValue().toArray(String[]::new);
                chain = chain.chain(() ->
                        c.preparedQuery(sql).execute(Tuple.of(accountId, keys)).replaceWithVoid());
            }
        }
        return chain;
    }

    private static String renamed(String handle, String oldHandle, String newHandle) {
        return oldHandle.equalsIgnoreCase(handle) ? newHandle : handle;
    }

    static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    /** Column arrays built row by row. */
    private static final class Rows {
        private final List<Object[]> rows = new ArrayList<>();

        void add(Object... row) {
            rows.add(row);
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        <T> T[] column(int index, IntFunction<T[]> array) {
            T[] values = array.apply(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                @SuppressWarnings("unchecked")
                T value = (T) rows.get(i)[index];
                values[i] = value;
            }
            return values;
        }
    }
}
