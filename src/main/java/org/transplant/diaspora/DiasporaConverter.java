package org.transplant.diaspora;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.transplant.migration.api.ExportRecords.AccountRecord;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.ContactRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.ExportRecords.ProfileRecord;
import org.transplant.migration.api.ExportRecords.SettingsRecord;
import org.transplant.migration.api.ExportRecords.TagFollowingRecord;
import org.transplant.migration.api.FolderFile;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.pod.Guids;
import org.transplant.pod.Handle;
import org.transplant.pod.photo.ImageInspector;

/**
 * The second pass over a diaspora* export: its spooled lists turned into a Transplant folder ({@link FolderFormat})
 * that the folder pipeline imports like any other. Each diaspora* entity becomes the record Transplant holds for it
 * (posts with the comments and likes that verified embedded, contacts with diaspora*'s sharing and receiving kept as
 * follower and following, aspects, blocks, followed tags, photos re-linked from the photos zip by their file name);
 * whatever Transplant cannot hold is reported, item by item or, for a field, with how often it was left. Blocking;
 * heap bounded by the number of posts and contacts, never by the size of the export.
 */
final class DiasporaConverter {

    /** The most fields not kept that are named one by one in the report. */
    static final int MAX_FIELDS = 100;

    /** The most report lines kept one by one; beyond, they are counted per collection. */
    static final int MAX_REPORTED = 10_000;

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int MAX_PROFILE_TAGS = 5;
    private static final int MAX_ASPECT = 64;

    /** What the conversion needs beyond the export. */
    record Input(
            DiasporaExportReader.Read read,
            Path spool,
            Path photosZip,
            Path folder,
            String oldHandle,
            String oldPublicKeyPem,
            Map<String, PublicKey> authorKeys,
            Instant exportTime,
            String photoUrlPrefix,
            long maxPhotoBytes,
            long maxPhotosBytes) {}

    /** The folder's counts, and what was left out of it. */
    record Converted(Map<String, Long> counts, List<LeftOut> leftOut) {}

    private final Input in;
    private final ObjectWriter writer;
    private final Report report = new Report();
    private final Map<String, JsonObject> files = new TreeMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    /** Own posts by guid: their time (a like carries none) and audience. */
    private final Map<String, Instant> postTimes = new HashMap<>();

    /** The posts' poll guids, to name a poll answer by its post. */
    private final Map<String, String> pollPosts = new HashMap<>();

    /** Where each post's kept comments and likes are in the kept spool: offsets by post guid. */
    private final Map<String, Offsets> keptAt = new HashMap<>();

    private final Map<String, Set<String>> aspectMembers = new LinkedHashMap<>();
    private final Set<String> photoGuids = new HashSet<>();

    /** The files of the photos zip read so far: each is one photo's. */
    private final Set<String> zippedUsed = new HashSet<>();

    /** The bytes of the photos read out of the zip so far. */
    private long photosBytes;

    /** The avatar, when the photos zip holds it: a photo of no post. */
    private PhotoRecord avatarPhoto;

    private DiasporaConverter(Input in, ObjectMapper json) {
        this.in = in;
        this.writer = json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    static Converted convert(Input in, ObjectMapper json) {
        try {
            return new DiasporaConverter(in, json).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Converted run() throws IOException {
        String avatarUrl;
        Files.createDirectories(in.folder().resolve(FolderFormat.PHOTOS));
        List<String> aspects = aspects();
        contacts(aspects);
        try (ZipFile zip = photosZip()) {
            Map<String, ZipEntry> zipped = zipped(zip);
            avatarUrl = avatar(in.read().profile.path("entity_data"), zip, zipped);
            indexPostsAndCopyPhotos(zip, zipped);
        }
        relayables();
        posts();
        tagFollowings();
        account(aspects, avatarUrl);
        fieldsNotKept();
        manifest();
        return new Converted(counts, report.lines());
    }

    // --- aspects and contacts

    private List<String> aspects() {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode group : in.read().contactGroups) {
            String name =
                    group.path("name").isTextual() ? group.get("name").asText().strip() : "";
            if (name.isEmpty() || name.length() > MAX_ASPECT) {
                report.add("aspects", shown(name), "is not an aspect name of 1 to " + MAX_ASPECT + " characters");
            } else if (!names.add(name)) {
                report.add("aspects", name, "appears twice");
            }
            group.fieldNames().forEachRemaining(field -> {
                if (!field.equals("name")) {
                    report.field("aspects", field);
                }
            });
        }
        names.forEach(name -> aspectMembers.put(name, new HashSet<>()));
        return new ArrayList<>(names);
    }

    /**
     * The contacts, written as they are read (a person may have many): each once, blocked when the export blocks
     * them; a block of someone who is no contact becomes a contact that is only blocked.
     */
    private void contacts(List<String> aspects) throws IOException {
        Set<String> blocked = new LinkedHashSet<>();
        for (String block : in.read().blocks) {
            String handle = handle(new com.fasterxml.jackson.databind.node.TextNode(block));
            if (handle == null) {
                report.add("contacts", shown(block), "a block of no account id (user@pod)");
            } else {
                blocked.add(handle);
            }
        }
        Set<String> written = new HashSet<>();
        try (Lines out = new Lines("contacts")) {
            forEachLine(DiasporaExportReader.Spool.CONTACTS, contact -> {
                contact.fieldNames().forEachRemaining(field -> {
                    if (!CONTACT_FIELDS.contains(field)) {
                        report.field("contacts", field);
                    }
                });
                String handle = handle(contact.path("account_id"));
                if (handle == null) {
                    report.add(
                            "contacts",
                            shown(String.valueOf(text(contact, "person_name"))),
                            "has no account id (user@pod), so it cannot be followed");
                    return;
                }
                if (!written.add(handle)) {
                    report.add("contacts", handle, "appears twice in the export");
                    return;
                }
                List<String> memberOf = new ArrayList<>();
                for (JsonNode aspect : contact.path("contact_groups_membership")) {
                    String name = aspect.asText();
                    if (aspectMembers.containsKey(name)) {
                        memberOf.add(name);
                        aspectMembers.get(name).add(handle);
                    } else {
                        report.add("contacts", handle, "is in an aspect the export does not list: " + shown(name));
                    }
                }
                // diaspora*: "receiving" = the person shares with them (follows), "sharing" = they share with
                // the person. Fields longer than any real one are left to the record checks, which refuse them.
                out.write(new ContactRecord(
                        handle,
                        text(contact, "person_guid"),
                        text(contact, "person_name"),
                        text(contact, "public_key"),
                        contact.path("receiving").asBoolean(false),
                        contact.path("sharing").asBoolean(false),
                        blocked.remove(handle),
                        memberOf,
                        in.exportTime()));
            });
            for (String handle : blocked) {
                if (written.add(handle)) {
                    out.write(new ContactRecord(
                            handle, null, null, null, false, false, true, List.of(), in.exportTime()));
                }
            }
            counts.put("contacts", (long) written.size());
        }
    }

    private static final Set<String> CONTACT_FIELDS = Set.of(
            "sharing",
            "receiving",
            "following",
            "followed",
            "account_id",
            "contact_groups_membership",
            "person_name",
            "person_guid",
            "public_key");

    // --- posts, comments, likes

    /**
     * Others' comments and likes on the person's posts (kept when their author's signature verifies), and the
     * person's own on them; each kept one is spooled, and its place noted under its post.
     */
    private void relayables() throws IOException {
        Path kept = in.spool().resolve("kept.ndjson");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(kept), 64 * 1024)) {
            long[] at = {0};
            // Checking signatures is most of the work: a batch is checked on every core, then kept in its order.
            forEachBatch(DiasporaExportReader.Spool.OTHERS_RELAYABLES, batch -> {
                boolean[] holds = new boolean[batch.size()];
                java.util.stream.IntStream.range(0, batch.size())
                        .parallel()
                        .forEach(i -> holds[i] = signatureHolds(batch.get(i)));
                for (int i = 0; i < batch.size(); i++) {
                    keep(batch.get(i), true, holds[i], out, at);
                }
            });
            forEachLine(DiasporaExportReader.Spool.OWN_RELAYABLES, r -> keep(r, false, false, out, at));
        }
    }

    /** {@code holds}: whether the author's signature verified (others' only; the person's own carry none). */
    private void keep(JsonNode relayable, boolean others, boolean holds, OutputStream out, long[] at) {
        String kind = relayable.path("entity_type").asText("");
        JsonNode data = relayable.path("entity_data");
        String guid = data.path("guid").asText(null);
        String parent = data.path("parent_guid").asText(null);
        String collection = kind.equals("like") ? "likes" : "comments";
        String key = guid == null ? "(no guid)" : guid;
        if (kind.equals("poll_participation")) {
            String post = pollPosts.get(parent);
            report.add(
                    "polls",
                    key,
                    "an answer to the poll of " + (post == null ? "a post not in the export" : "the post " + post)
                            + ": Transplant has no polls, so poll answers are not kept");
            return;
        }
        if (!kind.equals("comment") && !kind.equals("like")) {
            report.add("comments", key, "is a " + shown(kind) + ", which Transplant does not hold");
            return;
        }
        if (guid == null || !Guids.isValid(guid)) {
            report.add(collection, key, "has no guid this pod can hold (16 to 64 letters, digits, - or _)");
            return;
        }
        if (kind.equals("like") && !"Post".equals(data.path("parent_type").asText("Post"))) {
            report.add("likes", guid, "likes a comment: Transplant has likes on posts only");
            return;
        }
        Instant parentTime = parent == null ? null : postTimes.get(parent);
        if (parentTime == null) {
            report.add(
                    collection,
                    guid,
                    others
                            ? "answers a post that is not in the export"
                            : "answers a post of someone else, which this pod does not hold");
            return;
        }
        String author = others ? handle(data.path("author")) : in.oldHandle();
        if (author == null) {
            report.add(collection, guid, "names no author (user@pod)");
            return;
        }
        if (others && !verified(relayable, author, collection, guid, holds)) {
            return;
        }
        data.fieldNames().forEachRemaining(field -> {
            if (!RELAYABLE_FIELDS.contains(field)) {
                report.field(collection, field);
            }
        });
        Object record;
        if (kind.equals("comment")) {
            // A time the signature does not cover (legacy orders) is not believed: the post's stands for it.
            Instant created = !others || signs(relayable, "created_at") ? time(data.path("created_at")) : null;
            record = new CommentRecord(
                    guid, parent, author, data.path("text").asText(""), created == null ? parentTime : created);
        } else {
            // diaspora* likes carry no time: the post's stands for it.
            record = new LikeRecord(guid, parent, author, data.path("positive").asBoolean(true), parentTime);
        }
        byte[] line = bytes(record);
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keptAt.computeIfAbsent(parent, p -> new Offsets()).add(at[0]);
        at[0] += line.length + 1;
    }

    private static boolean signs(JsonNode relayable, String field) {
        for (JsonNode name : relayable.path("property_order")) {
            if (name.asText().equals(field)) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> RELAYABLE_FIELDS = Set.of(
            "author",
            "guid",
            "parent_guid",
            "text",
            "created_at",
            "positive",
            "parent_type",
            "author_signature",
            "parent_author_signature");

    /** Whether the relayable's author signed it, by diaspora*'s rule; a failure is reported. */
    private boolean verified(JsonNode relayable, String author, String collection, String guid, boolean holds) {
        if (!relayable.path("property_order").isArray()) {
            report.add(collection, guid, "has no property_order, so its author's signature cannot be checked");
            return false;
        }
        String uncovered = uncovered(relayable);
        if (uncovered != null) {
            report.add(collection, guid, uncovered + ", so its signature proves nothing of it");
            return false;
        }
        if (in.authorKeys().get(author) == null) {
            report.add(
                    collection,
                    guid,
                    "its author's key is unknown (their pod did not answer and the export holds none, or their pod"
                            + " could not be asked within this import's bounds), so their signature cannot be checked");
            return false;
        }
        if (!holds) {
            report.add(collection, guid, "its author's signature does not verify: it was altered or forged");
            return false;
        }
        return true;
    }

    /**
     * What a relayable keeps here that its signature does not cover, or null: the signed text is made of the values
     * {@code property_order} names, and the export chooses that list, so every field taken must be in it, once.
     */
    private static String uncovered(JsonNode relayable) {
        boolean like = relayable.path("entity_type").asText().equals("like");
        Set<String> named = new HashSet<>();
        for (JsonNode name : relayable.get("property_order")) {
            String field = name.asText();
            if (!named.add(field)) {
                return "its signature names " + shown(field) + " twice";
            }
            // Values are joined with ';', so a name the kind does not have could take in part of a signed text.
            if (!(like ? LIKE_SIGNED : COMMENT_SIGNED).contains(field)) {
                return "its signature names " + shown(field) + ", which a " + (like ? "like" : "comment")
                        + " does not have";
            }
        }
        for (String field : like
                ? List.of("author", "guid", "parent_guid", "positive")
                : List.of("author", "guid", "parent_guid", "text")) {
            if (!named.contains(field)) {
                return "its signature does not cover its " + field;
            }
        }
        JsonNode data = relayable.path("entity_data");
        for (String time : List.of("created_at", "edited_at")) {
            if (named.contains(time) && data.has(time) && time(data.get(time)) == null) {
                return "its signed " + time + " is no time";
            }
        }
        if (like && !data.path("positive").isBoolean()) {
            return "its positive is not true or false";
        }
        return null;
    }

    private static final Set<String> COMMENT_SIGNED =
            Set.of("author", "guid", "parent_guid", "text", "created_at", "edited_at");
    private static final Set<String> LIKE_SIGNED = Set.of("author", "guid", "parent_guid", "parent_type", "positive");

    /** Whether a relayable's author signed it, by diaspora*'s rule, with the key found for them. Thread-safe. */
    private boolean signatureHolds(JsonNode relayable) {
        JsonNode data = relayable.path("entity_data");
        String author = handle(data.path("author"));
        PublicKey key = author == null ? null : in.authorKeys().get(author);
        if (key == null || !relayable.path("property_order").isArray() || uncovered(relayable) != null) {
            return false;
        }
        List<String> order = new ArrayList<>();
        relayable.get("property_order").forEach(name -> order.add(name.asText()));
        return RelayableSignature.verify(
                RelayableSignature.signedText(data, order),
                data.path("author_signature").asText(""),
                key);
    }

    private void posts() throws IOException {
        Path kept = in.spool().resolve("kept.ndjson");
        Set<String> written = new HashSet<>();
        try (Lines out = new Lines("posts");
                RandomAccessFile interactions = new RandomAccessFile(kept.toFile(), "r")) {
            forEachLine(DiasporaExportReader.Spool.POSTS, post -> {
                PostRecord record = post(post);
                if (record == null) {
                    return;
                }
                if (!written.add(record.guid())) {
                    report.add("posts", record.guid(), "appears twice in the export");
                    return;
                }
                List<CommentRecord> comments = new ArrayList<>();
                List<LikeRecord> likes = new ArrayList<>();
                // As many as fit one line of the folder (a post is one line there); the rest are reported.
                long room = FolderFormat.MAX_LINE_BYTES - 1024 - bytes(record).length;
                Offsets offsets = keptAt.getOrDefault(record.guid(), new Offsets());
                for (int i = 0; i < offsets.n; i++) {
                    byte[] line = readAt(interactions, offsets.at[i]);
                    JsonNode item = DiasporaExportReader.JSON.readTree(line);
                    boolean comment = item.has("text");
                    room -= line.length + 1;
                    if (room < 0) {
                        report.add(
                                comment ? "comments" : "likes",
                                item.get("guid").asText(),
                                "one of more comments and likes than one post can carry here");
                    } else if (comment) {
                        comments.add(new CommentRecord(
                                item.get("guid").asText(),
                                record.guid(),
                                item.get("author").asText(),
                                item.get("text").asText(),
                                Instant.parse(item.get("createdAt").asText())));
                    } else {
                        likes.add(new LikeRecord(
                                item.get("guid").asText(),
                                record.guid(),
                                item.get("author").asText(),
                                item.get("positive").asBoolean(),
                                Instant.parse(item.get("createdAt").asText())));
                    }
                }
                counts.merge("comments", (long) comments.size(), Long::sum);
                counts.merge("likes", (long) likes.size(), Long::sum);
                out.write(record.withAll(List.copyOf(comments), List.copyOf(likes)));
            });
        }
    }

    /** A status message or reshare as a post here, or null when it is left out (and reported). */
    private PostRecord post(JsonNode post) {
        String kind = post.path("entity_type").asText("");
        JsonNode data = post.path("entity_data");
        String guid = data.path("guid").asText(null);
        String key = guid == null ? "(no guid)" : guid;
        if (!kind.equals("status_message") && !kind.equals("reshare")) {
            report.add("posts", key, "is a " + shown(kind) + ", which Transplant does not hold");
            return null;
        }
        if (guid == null || !Guids.isValid(guid)) {
            report.add("posts", key, "has no guid this pod can hold (16 to 64 letters, digits, - or _)");
            return null;
        }
        Instant created = time(data.path("created_at"));
        if (created == null) {
            report.add("posts", guid, "has no creation time");
            return null;
        }
        data.fieldNames().forEachRemaining(field -> {
            if (!POST_FIELDS.contains(field)) {
                report.field("posts", field);
            }
        });
        if (data.hasNonNull("provider_display_name")) {
            report.field("posts", "provider_display_name");
        }
        if (kind.equals("reshare")) {
            String root = data.path("root_guid").asText(null);
            if (root == null || !Guids.isValid(root)) {
                report.add("posts", guid, "is a reshare of no post (it names no root)");
                return null;
            }
            counts.merge("posts", 1L, Long::sum);
            return new PostRecord(guid, "", true, List.of(), root, created, List.of(), 0, 0, List.of(), List.of());
        }
        if (data.has("poll")) {
            String poll = data.path("poll").path("entity_data").path("guid").asText(guid);
            report.add(
                    "polls",
                    poll,
                    "the poll of the post " + guid + " is left out (Transplant has no polls); the post is kept");
        }
        if (data.has("location")) {
            report.add("posts", guid, "the post's location is left out (Transplant holds none); the post is kept");
        }
        boolean isPublic = data.path("public").asBoolean(false);
        List<String> aspects = isPublic ? List.of() : audience(guid, post.path("subscribed_users_ids"));
        List<String> photos = new ArrayList<>();
        for (JsonNode photo : data.path("photos")) {
            String photoGuid = photo.path("entity_data").path("guid").asText(null);
            if (photoGuid != null && photoGuids.contains(photoGuid)) {
                photos.add(photoGuid);
            }
        }
        counts.merge("posts", 1L, Long::sum);
        return new PostRecord(
                guid,
                data.path("text").asText(""),
                isPublic,
                aspects,
                null,
                created,
                photos,
                0,
                0,
                List.of(),
                List.of());
    }

    private static final Set<String> POST_FIELDS = Set.of(
            "author",
            "guid",
            "created_at",
            "public",
            "text",
            "photos",
            "poll",
            "location",
            "provider_display_name",
            "root_author",
            "root_guid");

    /**
     * A limited post's aspects: diaspora* exports who it went to, not its aspects, so every aspect all of whose
     * members it went to is taken. Never more: someone it did not go to must not see it here. Whoever it went to
     * outside those aspects is reported.
     */
    private List<String> audience(String guid, JsonNode recipients) {
        Set<String> to = new HashSet<>();
        recipients.forEach(r -> to.add(r.asText().toLowerCase(Locale.ROOT)));
        List<String> aspects = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        aspectMembers.forEach((aspect, members) -> {
            if (!members.isEmpty() && to.containsAll(members)) {
                aspects.add(aspect);
                covered.addAll(members);
            }
        });
        to.removeAll(covered);
        to.remove(in.oldHandle());
        if (!to.isEmpty()) {
            report.add(
                    "posts",
                    guid,
                    "went to " + to.size() + " people outside any whole aspect of yours; here it is shared with "
                            + (aspects.isEmpty() ? "no aspect" : "the aspects " + String.join(", ", aspects))
                            + " only");
        }
        return aspects;
    }

    // --- photos

    private ZipFile photosZip() {
        if (in.photosZip() == null) {
            return null;
        }
        try {
            return new ZipFile(in.photosZip().toFile());
        } catch (IOException e) {
            throw new DiasporaRefused("photos-damaged", "The photos file is not a zip that can be read");
        }
    }

    /** The zip's files by their name without folders (diaspora* names each by its {@code remote_photo_name}). */
    private static Map<String, ZipEntry> zipped(ZipFile zip) {
        Map<String, ZipEntry> byName = new HashMap<>();
        if (zip == null) {
            return byName;
        }
        var entries = zip.entries();
        int n = 0;
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (++n > 1_000_000) {
                throw new DiasporaRefused("photos-damaged", "The photos zip holds more than a million files");
            }
            if (!entry.isDirectory()) {
                String name = entry.getName();
                byName.putIfAbsent(name.substring(name.lastIndexOf('/') + 1), entry);
            }
        }
        return byName;
    }

    /**
     * One pass over the posts before the rest: each post's time (a like carries none) and poll, and its photos
     * copied out of the zip (so that a post written later names only photos that arrived).
     */
    private void indexPostsAndCopyPhotos(ZipFile zip, Map<String, ZipEntry> zipped) throws IOException {
        try (Lines out = new Lines("photos")) {
            if (avatarPhoto != null) {
                out.write(avatarPhoto);
            }
            forEachLine(DiasporaExportReader.Spool.POSTS, post -> {
                JsonNode data = post.path("entity_data");
                String guid = data.path("guid").asText(null);
                Instant at = time(data.path("created_at"));
                if (guid != null && at != null) {
                    postTimes.putIfAbsent(guid, at);
                    String poll =
                            data.path("poll").path("entity_data").path("guid").asText(null);
                    if (poll != null) {
                        pollPosts.put(poll, guid);
                    }
                }
                for (JsonNode photo : data.path("photos")) {
                    PhotoRecord record = photo(
                            zip,
                            zipped,
                            photo.path("entity_data"),
                            data.path("guid").asText(null));
                    if (record != null) {
                        out.write(record);
                    }
                }
            });
        }
    }

    private PhotoRecord photo(ZipFile zip, Map<String, ZipEntry> zipped, JsonNode data, String postGuid) {
        String guid = data.path("guid").asText(null);
        String key = guid == null ? "(no guid)" : guid;
        if (guid == null || !Guids.isValid(guid) || postGuid == null || !Guids.isValid(postGuid)) {
            report.add("photos", key, "has no guid this pod can hold (16 to 64 letters, digits, - or _)");
            return null;
        }
        if (!photoGuids.add(guid)) {
            report.add("photos", guid, "appears twice in the export");
            return null;
        }
        data.fieldNames().forEachRemaining(field -> {
            if (!PHOTO_FIELDS.contains(field)) {
                report.field("photos", field);
            }
        });
        String name = data.path("remote_photo_name").asText("");
        ZipEntry entry = zipped.get(name);
        if (entry == null) {
            report.add(
                    "photos",
                    guid,
                    zip == null
                            ? "its file is in the photos zip, which was not uploaded"
                            : "its file " + shown(name) + " is not in the photos zip");
            photoGuids.remove(guid);
            return null;
        }
        Stored stored = store(zip, entry, guid);
        if (stored == null) {
            photoGuids.remove(guid);
            return null;
        }
        Instant created = time(data.path("created_at"));
        counts.merge("photos", 1L, Long::sum);
        return new PhotoRecord(
                guid,
                data.path("status_message_guid").asText(postGuid),
                data.path("public").asBoolean(false),
                stored.type(),
                stored.size(),
                stored.sha256(),
                stored.width(),
                stored.height(),
                data.path("text").asText(""),
                created == null ? in.exportTime() : created,
                null);
    }

    private static final Set<String> PHOTO_FIELDS = Set.of(
            "guid",
            "author",
            "public",
            "created_at",
            "remote_photo_path",
            "remote_photo_name",
            "status_message_guid",
            "text",
            "height",
            "width");

    private record Stored(String type, long size, String sha256, int width, int height) {}

    /**
     * Copies a photo out of the zip to {@code photos/<guid>}; null (reported) when it is too large or not an image
     * this pod serves, by its content (the same inspection as an upload).
     */
    private Stored store(ZipFile zip, ZipEntry entry, String guid) {
        String file = FolderFormat.PHOTOS + "/" + guid;
        byte[] bytes;
        if (!zippedUsed.add(entry.getName())) {
            report.add("photos", guid, "its file in the photos zip is another photo's too");
            return null;
        }
        try (InputStream content = zip.getInputStream(entry)) {
            bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, in.maxPhotoBytes() + 1));
        } catch (IOException e) {
            // Read from the zip only: a damaged or cut entry, the person's file.
            report.add("photos", guid, "its file in the photos zip is damaged");
            return null;
        }
        // Counted before any check: what was inflated was work, kept or not.
        photosBytes += bytes.length;
        if (bytes.length > in.maxPhotoBytes()) {
            report.add("photos", guid, "is larger than this pod takes (" + in.maxPhotoBytes() + " bytes)");
            return null;
        }
        if (photosBytes > in.maxPhotosBytes()) {
            throw new DiasporaRefused(
                    "too-large", "The photos unpack to more than this pod takes (" + in.maxPhotosBytes() + " bytes)");
        }
        ImageInspector.ImageInfo image = ImageInspector.identify(bytes);
        if (image == null || !image.sizeSupported()) {
            report.add("photos", guid, "its file is not a PNG, JPEG or GIF image this pod serves");
            return null;
        }
        try (FolderFile out = new FolderFile(in.folder().resolve(file))) {
            out.write(bytes);
            JsonObject listed = out.entry(1);
            files.put(file, listed);
            return new Stored(
                    image.contentType(), bytes.length, listed.getString("sha256"), image.width(), image.height());
        }
    }

    // --- the account

    private void account(List<String> aspects, String avatarUrl) {
        JsonNode profile = in.read().profile.path("entity_data");
        profile.fieldNames().forEachRemaining(field -> {
            if (!PROFILE_FIELDS.contains(field)) {
                report.field("profile", field);
            }
        });
        List<String> tags = new ArrayList<>();
        for (String word : profile.path("tag_string").asText("").split("\\s+")) {
            String tag = word.startsWith("#") ? word.substring(1) : word;
            if (tag.isEmpty()) {
                continue;
            }
            if (TAG.matcher(tag).matches() && tags.size() < MAX_PROFILE_TAGS) {
                tags.add(tag.toLowerCase(Locale.ROOT));
            } else {
                report.add(
                        "profile",
                        "tags",
                        "the tag " + shown(tag) + " is not kept (letters, digits and _ only," + " at most "
                                + MAX_PROFILE_TAGS + ")");
            }
        }
        ProfileRecord record = new ProfileRecord(
                text(profile, "first_name"),
                text(profile, "last_name"),
                text(profile, "bio"),
                avatarUrl,
                text(profile, "location"),
                null,
                text(profile, "gender"),
                tags,
                profile.path("searchable").asBoolean(true),
                profile.path("nsfw").asBoolean(false),
                profile.path("public").asBoolean(false));
        String followBackAspect = in.read().autoFollowBackAspect;
        if (followBackAspect != null && !aspects.contains(followBackAspect)) {
            report.add("settings", "auto_follow_back_aspect", "names an aspect the export does not list");
            followBackAspect = null;
        }
        SettingsRecord settings = new SettingsRecord(
                in.read().language,
                bool(in.read().disableMail),
                bool(in.read().communitySpotlight),
                bool(in.read().autoFollowBack),
                followBackAspect,
                null);
        Map<String, Long> announced = new LinkedHashMap<>();
        for (String collection : MigrationFormat.COUNTED) {
            announced.put(collection, counts.getOrDefault(collection, 0L));
        }
        AccountRecord account = new AccountRecord(
                MigrationFormat.VERSION,
                in.oldHandle(),
                null,
                in.oldPublicKeyPem(),
                record,
                settings,
                aspects,
                0,
                in.exportTime(),
                announced,
                null,
                null,
                null,
                null,
                null,
                null);
        // The birthday goes in as text, so that the account document's own check drops one that is no date.
        JsonObject document = new JsonObject(new String(bytes(account), StandardCharsets.UTF_8));
        String birthday = text(profile, "birthday");
        if (birthday != null) {
            document.getJsonObject("profile").put("birthday", birthday);
        }
        try (FolderFile out = new FolderFile(in.folder().resolve(FolderFormat.ACCOUNT))) {
            out.write(document.encode().getBytes(StandardCharsets.UTF_8));
            files.put(FolderFormat.ACCOUNT, out.entry(1));
        }
    }

    private static final Set<String> PROFILE_FIELDS = Set.of(
            "author",
            "first_name",
            "last_name",
            "image_url",
            "image_url_medium",
            "image_url_small",
            "bio",
            "birthday",
            "gender",
            "location",
            "searchable",
            "public",
            "nsfw",
            "tag_string",
            "full_name");

    /**
     * The avatar: from the photos zip when it is there (diaspora* names the large one {@code thumb_large_<name>}, the
     * zip holds {@code <name>}), as a photo of this account; else the old pod's URL, while that pod serves it.
     */
    private String avatar(JsonNode profile, ZipFile zip, Map<String, ZipEntry> zipped) {
        String url = text(profile, "image_url");
        if (url == null || url.isBlank()) {
            return null;
        }
        String name = url.substring(url.lastIndexOf('/') + 1);
        name = name.startsWith("thumb_large_") ? name.substring("thumb_large_".length()) : name;
        ZipEntry entry = zipped.get(name);
        if (entry != null) {
            // Random: whoever imported the same image URL first must not own this account's avatar.
            String guid = "avatar-" + sha256(url + java.util.UUID.randomUUID()).substring(0, 40);
            Stored stored = store(zip, entry, guid);
            if (stored != null) {
                avatarPhoto = new PhotoRecord(
                        guid,
                        null,
                        true,
                        stored.type(),
                        stored.size(),
                        stored.sha256(),
                        0,
                        0,
                        "",
                        in.exportTime(),
                        null);
                counts.merge("photos", 1L, Long::sum);
                return in.photoUrlPrefix() + guid;
            }
        }
        if (url.startsWith("https://") || url.startsWith("http://")) {
            report.add(
                    "profile",
                    "avatar",
                    "is not in the photos zip: it is shown from your old pod for as long as that pod serves it");
            return url;
        }
        report.add("profile", "avatar", "is neither in the photos zip nor at a web address");
        return null;
    }

    private void tagFollowings() {
        Set<String> seen = new LinkedHashSet<>();
        try (Lines out = new Lines("tag-followings")) {
            for (String tag : in.read().followedTags) {
                String name = tag.startsWith("#") ? tag.substring(1) : tag;
                if (!TAG.matcher(name).matches()) {
                    report.add("tag-followings", shown(tag), "is not a tag of letters, digits and _ only");
                } else if (seen.add(name.toLowerCase(Locale.ROOT))) {
                    out.write(new TagFollowingRecord(name.toLowerCase(Locale.ROOT), in.exportTime()));
                    counts.merge("tag-followings", 1L, Long::sum);
                }
            }
        }
    }

    private void fieldsNotKept() {
        in.read().userFieldsNotKept.forEach((field, n) -> report.field("settings", field));
        if (in.read().postSubscriptions > 0) {
            report.add(
                    "posts",
                    "post_subscriptions",
                    in.read().postSubscriptions + " posts of others you followed the comments of: Transplant does"
                            + " not copy others' posts, so these are not kept");
        }
        if (in.read().othersPosts > 0) {
            report.add("posts", "others_data.posts", in.read().othersPosts + " posts of others are not kept");
        }
    }

    private void manifest() throws IOException {
        JsonObject manifest = new JsonObject()
                .put("format", FolderFormat.VERSION)
                .put("migrationFormat", MigrationFormat.VERSION)
                .put("source", "diaspora")
                .put("files", new JsonObject(new TreeMap<String, Object>(files)));
        Files.writeString(in.folder().resolve(FolderFormat.MANIFEST), manifest.encodePrettily());
    }

    // --- helpers

    /** A collection file of the folder, one record per line; listed in the manifest when closed. */
    private final class Lines implements AutoCloseable {
        private final String collection;
        private final FolderFile file;
        private long records;

        Lines(String collection) {
            this.collection = collection;
            this.file = new FolderFile(in.folder().resolve(FolderFormat.fileOf(collection)));
        }

        void write(Object record) {
            file.write(bytes(record));
            file.write(NEWLINE);
            records++;
        }

        @Override
        public void close() {
            file.close();
            files.put(FolderFormat.fileOf(collection), file.entry(records));
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    private byte[] bytes(Object record) {
        try {
            return writer.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface LineConsumer {
        void accept(JsonNode line) throws IOException;
    }

    private interface BatchConsumer {
        void accept(List<JsonNode> batch) throws IOException;
    }

    /**
     * The spool's entities a thousand at a time, or fewer when they are long (at most about 8 MiB of text a batch):
     * a bounded heap, whatever the spool's size.
     */
    private void forEachBatch(DiasporaExportReader.Spool spool, BatchConsumer each) throws IOException {
        Path file = DiasporaExportReader.spoolFile(in.spool(), spool);
        if (!Files.exists(file)) {
            return;
        }
        List<JsonNode> batch = new ArrayList<>();
        long chars = 0;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                batch.add(DiasporaExportReader.JSON.readTree(line));
                chars += line.length();
                if (batch.size() == 1000 || chars > (8 << 20)) {
                    each.accept(batch);
                    batch.clear();
                    chars = 0;
                }
            }
        }
        if (!batch.isEmpty()) {
            each.accept(batch);
        }
    }

    private void forEachLine(DiasporaExportReader.Spool spool, LineConsumer each) throws IOException {
        Path file = DiasporaExportReader.spoolFile(in.spool(), spool);
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                each.accept(DiasporaExportReader.JSON.readTree(line));
            }
        }
    }

    /** The line at {@code offset}, read a few KiB at a time (never a byte per call). */
    private static byte[] readAt(RandomAccessFile file, long offset) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        long at = offset;
        while (true) {
            file.seek(at);
            int n = file.read(chunk);
            if (n <= 0) {
                break;
            }
            int end = 0;
            while (end < n && chunk[end] != '\n') {
                end++;
            }
            line.write(chunk, 0, end);
            if (end < n) {
                break;
            }
            at += n;
        }
        return line.toByteArray();
    }

    /** A post's places in the kept spool, grown by doubling (a post may have tens of thousands). */
    private static final class Offsets {
        private long[] at = new long[4];
        private int n;

        void add(long offset) {
            if (n == at.length) {
                at = Arrays.copyOf(at, n * 2);
            }
            at[n++] = offset;
        }
    }

    /** A handle as this pod writes them (lower case), or null when the value is none. */
    private static String handle(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return Handle.parse("handle", value.asText()).toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant time(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static boolean bool(Boolean value) {
        return value != null && value;
    }

    private static String shown(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The conversion's report: items one by one up to {@link #MAX_REPORTED}, fields not kept with their count. */
    private static final class Report {
        private final List<LeftOut> lines = new ArrayList<>();
        private final Map<String, Long> beyond = new TreeMap<>();
        private final Map<String, Long> fields = new TreeMap<>();

        void add(String collection, String key, String reason) {
            if (lines.size() < MAX_REPORTED) {
                // Keys can be the export's text: held short, as the report keeps them.
                String shortKey = key == null || key.length() <= 200 ? key : key.substring(0, 199) + "…";
                lines.add(new LeftOut(collection, shortKey, reason));
            } else {
                beyond.merge(collection, 1L, Long::sum);
            }
        }

        void field(String collection, String field) {
            String key = collection + "\u0000" + field;
            // Field names are the export's: only so many are named, the rest counted.
            if (fields.size() >= MAX_FIELDS && !fields.containsKey(key)) {
                key = collection + "\u0000(other fields)";
            }
            fields.merge(key, 1L, Long::sum);
        }

        List<LeftOut> lines() {
            List<LeftOut> all = new ArrayList<>(lines);
            fields.forEach((key, n) -> {
                String[] parts = key.split("\u0000", 2);
                all.add(new LeftOut(
                        parts[0],
                        parts[1],
                        "the field " + shown(parts[1]) + " is not kept (Transplant has no place for it), on " + n
                                + (n == 1 ? " item" : " items")));
            });
            beyond.forEach((collection, n) -> all.add(new LeftOut(
                    collection, "more", n + " more items left out, for the reasons above (not listed one by one)")));
            return all;
        }
    }
}
