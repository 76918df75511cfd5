package org.transplant.diaspora;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first pass over a diaspora* export: one streamed read of its JSON (never a tree of the whole document), which
 * checks what diaspora* itself holds critical (the format version, the user with its username, email, private key
 * and profile) and spools each long list (posts, contacts, own and others' relayables) to a file of its own, one
 * entity per line, so that the second pass can read them in the order it needs whatever order the export has.
 * Blocking; run it on the worker pool.
 */
final class DiasporaExportReader {

    /** The longest string of the export (a post's text is at most 65,535 characters on diaspora*). */
    static final int MAX_STRING = 1 << 20;

    /** The most bytes of JSON the small lists may hold together. */
    static final long MAX_SMALL_BYTES = 32L << 20;

    /** The longest one entity (a post, a comment, a contact) may be, in bytes of JSON. */
    static final int MAX_ENTITY = 4 << 20;

    /** The longest public key taken from the export (an RSA key of 8192 bits is about 1.5 KiB of PEM). */
    private static final int MAX_KEY_PEM = 4 * 1024;

    /** The most small things held in memory: aspects, blocks, followed tags, authors' keys outside the contacts. */
    static final int MAX_SMALL = 100_000;

    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING)
                    .maxNestingDepth(32)
                    .maxNumberLength(32)
                    .build())
            .build());

    private static final Set<String> USER_FIELDS = Set.of(
            "username",
            "email",
            "language",
            "private_key",
            "disable_mail",
            "show_community_spotlight_in_stream",
            "auto_follow_back",
            "auto_follow_back_aspect",
            "blocks",
            "profile",
            "contact_groups",
            "contacts",
            "posts",
            "followed_tags",
            "post_subscriptions",
            "relayables");

    /** The spooled lists, each a file of one JSON entity per line. */
    enum Spool {
        POSTS("posts.ndjson"),
        CONTACTS("contacts.ndjson"),
        OWN_RELAYABLES("own-relayables.ndjson"),
        OTHERS_RELAYABLES("others-relayables.ndjson");

        final String file;

        Spool(String file) {
            this.file = file;
        }
    }

    /** What the first pass keeps: the user's small parts, and how many entities each spool holds. */
    static final class Read {
        String version;
        String username;
        String email;
        String language;
        String privateKeyPem;
        Boolean disableMail;
        Boolean communitySpotlight;
        Boolean autoFollowBack;
        String autoFollowBackAspect;
        JsonNode profile;
        final List<JsonNode> contactGroups = new ArrayList<>();
        final List<String> blocks = new ArrayList<>();
        final List<String> followedTags = new ArrayList<>();
        long postSubscriptions;
        long othersPosts;
        /** The keys the export gives for people (its contacts' and, if any, other authors'), by lower-case handle. */
        final Map<String, String> exportedKeys = new LinkedHashMap<>();
        /** The authors of others' relayables, lower case (at most {@link #MAX_SMALL}). */
        final Set<String> authors = new java.util.HashSet<>();

        final Map<Spool, Long> spooled = new LinkedHashMap<>();
        /**
         * Fields this pod does not keep, of the user (strip_exif of 0.7.x, or anything newer) or of the export itself,
         * with a count.
         */
        final Map<String, Long> userFieldsNotKept = new LinkedHashMap<>();

        boolean userSeen;
    }

    private final Path spool;
    private final Read read = new Read();

    private DiasporaExportReader(Path spool) {
        this.spool = spool;
    }

    /** Reads the export from {@code in}, spooling its lists under {@code spool}; refuses what is not a 2.0 export. */
    static Read read(InputStream in, Path spool) {
        try {
            Files.createDirectories(spool);
            DiasporaExportReader reader = new DiasporaExportReader(spool);
            try (JsonParser parser = JSON.createParser(in)) {
                reader.document(parser);
            }
            return reader.checked();
        } catch (StreamConstraintsException e) {
            throw DiasporaRefused.malformed("a value is longer or deeper than a diaspora* export holds");
        } catch (JsonProcessingException e) {
            throw DiasporaRefused.malformed("its JSON breaks off or is broken at line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        } catch (java.io.EOFException e) {
            throw new DiasporaRefused("damaged", "The export is damaged or incomplete (it ends too soon)");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw DiasporaRefused.malformed("it is not UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path spoolFile(Path spool, Spool which) {
        return spool.resolve(which.file);
    }

    private void document(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT, "the export");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "version" -> read.version = value == JsonToken.VALUE_STRING ? p.getText() : "(" + value + ")";
                case "user" -> user(p, value);
                case "others_data" -> othersData(p, value);
                default -> {
                    p.skipChildren();
                    notKept(name);
                }
            }
        }
        if (p.nextToken() != null) {
            throw DiasporaRefused.malformed("it goes on after its end");
        }
    }

    private void user(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT, "user");
        read.userSeen = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "username" -> read.username = text(p, value, "user.username");
                case "email" -> read.email = text(p, value, "user.email");
                case "language" -> read.language = text(p, value, "user.language");
                case "private_key" -> read.privateKeyPem = text(p, value, "user.private_key");
                case "disable_mail" -> read.disableMail = bool(p, value, "user.disable_mail");
                case "show_community_spotlight_in_stream" ->
                    read.communitySpotlight = bool(p, value, "user.show_community_spotlight_in_stream");
                case "auto_follow_back" -> read.autoFollowBack = bool(p, value, "user.auto_follow_back");
                case "auto_follow_back_aspect" ->
                    read.autoFollowBackAspect =
                            value == JsonToken.VALUE_NULL ? null : text(p, value, "user.auto_follow_back_aspect");
                case "profile" -> {
                    expect(value, JsonToken.START_OBJECT, "user.profile");
                    read.profile = tree(p);
                }
                case "contact_groups" -> small(p, value, "user.contact_groups", node -> read.contactGroups.add(node));
                case "blocks" -> small(p, value, "user.blocks", node -> read.blocks.add(node.asText()));
                case "followed_tags" ->
                    small(p, value, "user.followed_tags", node -> read.followedTags.add(node.asText()));
                case "post_subscriptions" -> read.postSubscriptions += skipArray(p, value, "user.post_subscriptions");
                case "contacts" -> spool(p, value, Spool.CONTACTS, "user.contacts");
                case "posts" -> spool(p, value, Spool.POSTS, "user.posts");
                case "relayables" -> spool(p, value, Spool.OWN_RELAYABLES, "user.relayables");
                default -> {
                    p.skipChildren();
                    if (!USER_FIELDS.contains(name)) {
                        notKept(name);
                    }
                }
            }
        }
    }

    private void othersData(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT, "others_data");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "relayables" -> spool(p, value, Spool.OTHERS_RELAYABLES, "others_data.relayables");
                case "non_contact_authors" -> small(p, value, "others_data.non_contact_authors", this::keyOf);
                case "posts" -> read.othersPosts += skipArray(p, value, "others_data.posts");
                default -> {
                    p.skipChildren();
                    notKept("others_data." + name);
                }
            }
        }
    }

    /** Writes each entity of the array as one line of the spool file. */
    private void spool(JsonParser p, JsonToken start, Spool which, String what) throws IOException {
        expect(start, JsonToken.START_ARRAY, what);
        long count = read.spooled.getOrDefault(which, 0L);
        try (OutputStream out = new BufferedOutputStream(
                Files.newOutputStream(
                        spoolFile(spool, which),
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND),
                64 * 1024)) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonNode item = tree(p);
                if (!(item instanceof ObjectNode)) {
                    throw DiasporaRefused.malformed(what + " must hold objects only");
                }
                noted(which, item);
                out.write(JSON.writeValueAsBytes(item));
                out.write('\n');
                count++;
            }
        }
        read.spooled.put(which, count);
    }

    /**
     * The entity the parser is at, as a tree, refused when its JSON is longer than {@link #MAX_ENTITY}: the tree of
     * one entity is all a pass holds of the export at once, so one entity must not be the whole heap.
     */
    private JsonNode tree(JsonParser p) throws IOException {
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream() {
            @Override
            public void write(byte[] b, int off, int len) {
                if (count + len > MAX_ENTITY) {
                    throw new DiasporaRefused(
                            "too-large", "An entity of the export is longer than " + (MAX_ENTITY >> 20) + " MiB");
                }
                super.write(b, off, len);
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
        try (com.fasterxml.jackson.core.JsonGenerator out = JSON.getFactory().createGenerator(copy)) {
            out.copyCurrentStructure(p);
        }
        lastSize = copy.size();
        return JSON.readTree(copy.toByteArray());
    }

    /** The size of the last entity read, in bytes of JSON. */
    private int lastSize;

    /** The bytes of JSON the small lists hold (aspects, blocks, followed tags, other authors' keys). */
    private long smallBytes;

    private void notKept(String field) {
        if (read.userFieldsNotKept.size() < DiasporaConverter.MAX_FIELDS || read.userFieldsNotKept.containsKey(field)) {
            read.userFieldsNotKept.merge(field.length() > 64 ? field.substring(0, 64) : field, 1L, Long::sum);
        }
    }

    /** What the second pass needs before it starts: the keys the export gives, and whose keys to look for. */
    private void noted(Spool which, JsonNode item) {
        if (which == Spool.CONTACTS) {
            keyOf(item);
        } else if (which == Spool.OTHERS_RELAYABLES) {
            JsonNode author = item.path("entity_data").path("author");
            if (author.isTextual() && author.asText().length() <= 255 && read.authors.size() < MAX_SMALL) {
                read.authors.add(author.asText().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    private void keyOf(JsonNode person) {
        if (person.path("account_id").isTextual()
                && person.path("public_key").isTextual()
                && person.get("public_key").asText().length() <= MAX_KEY_PEM
                && person.get("account_id").asText().length() <= 255
                && read.exportedKeys.size() < MAX_SMALL) {
            String pem = person.get("public_key").asText();
            // Counted with the small lists: the keys are held in memory until the conversion ends.
            smallBytes += pem.length();
            if (smallBytes > MAX_SMALL_BYTES) {
                throw new DiasporaRefused(
                        "too-large", "The export's contacts' keys and small lists are longer than a person's are");
            }
            read.exportedKeys.put(person.get("account_id").asText().toLowerCase(java.util.Locale.ROOT), pem);
        }
    }

    private void small(JsonParser p, JsonToken start, String what, java.util.function.Consumer<JsonNode> each)
            throws IOException {
        expect(start, JsonToken.START_ARRAY, what);
        long n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (++n > MAX_SMALL) {
                throw new DiasporaRefused("too-large", "The export's " + what + " holds more than " + MAX_SMALL);
            }
            JsonNode node = tree(p);
            smallBytes += lastSize;
            if (smallBytes > MAX_SMALL_BYTES) {
                throw new DiasporaRefused(
                        "too-large", "The export's aspects, blocks and followed tags are longer than a person's are");
            }
            each.accept(node);
        }
    }

    private static long skipArray(JsonParser p, JsonToken start, String what) throws IOException {
        expect(start, JsonToken.START_ARRAY, what);
        long n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
        }
        return n;
    }

    private Read checked() {
        if (read.version == null) {
            throw DiasporaRefused.missing("version");
        }
        if (!read.version.equals("2.0")) {
            throw new DiasporaRefused(
                    "unknown-version",
                    "The export is of version " + shown(read.version)
                            + "; this pod reads diaspora*'s archive format 2.0 (written since diaspora* 0.7)");
        }
        if (!read.userSeen) {
            throw DiasporaRefused.missing("user");
        }
        for (var required : new String[][] {
            {"user.username", read.username},
            {"user.email", read.email},
            {"user.private_key", read.privateKeyPem}
        }) {
            if (required[1] == null) {
                throw DiasporaRefused.missing(required[0]);
            }
        }
        if (read.profile == null) {
            throw DiasporaRefused.missing("user.profile");
        }
        return read;
    }

    private static String shown(String text) {
        return text.length() > 20 ? text.substring(0, 20) + "…" : text;
    }

    private static void expect(JsonToken token, JsonToken wanted, String what) {
        if (token != wanted) {
            throw DiasporaRefused.malformed(
                    what + " must be " + (wanted == JsonToken.START_OBJECT ? "an object" : "an array"));
        }
    }

    private static String text(JsonParser p, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw DiasporaRefused.malformed(what + " must be a string");
        }
        return p.getText();
    }

    private static Boolean bool(JsonParser p, JsonToken token, String what) {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw DiasporaRefused.malformed(what + " must be true or false");
        }
        return token == JsonToken.VALUE_TRUE;
    }
}
