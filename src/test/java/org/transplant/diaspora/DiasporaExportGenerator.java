package org.transplant.diaspora;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes diaspora* "Download my data" exports (archive format 2.0) of any size, streamed to disk, and says what an
 * importer should keep of them. Only the JDK is used: the benchmark compiles this file with plain {@code javac}.
 *
 * <p>Everything derives from the seed (keys included), so one seed gives a byte-identical file. Others' relayables
 * are signed by their authors (the contacts) with diaspora_federation's rule, in batches across the cores: RSA
 * signing is the slow part (about 1 ms each at 2048 bits).
 */
public final class DiasporaExportGenerator {

    /** 0.7 pods: {@code strip_exif}, {@code chat_enabled} on groups, no blocks, likes on posts only, old orders. */
    public enum Flavour {
        V07,
        V09
    }

    public enum Container {
        GZIP,
        PLAIN,
        ZIP
    }

    /** Damage that must make an importer refuse the whole export. */
    public enum Broken {
        NONE,
        MISSING_VERSION,
        WRONG_VERSION,
        MISSING_USER,
        MISSING_PROFILE,
        MISSING_PRIVATE_KEY,
        UNPARSABLE_PRIVATE_KEY,
        MALFORMED_JSON,
        TRUNCATED_GZIP
    }

    /** Items an importer leaves out (and reports) while importing the rest. */
    public enum Problem {
        RESHARE_WITHOUT_ROOT,
        RELAYABLE_WITHOUT_PARENT,
        /** Breaks the schema ({@code account_id} is required): diaspora* itself would refuse such an export. */
        CONTACT_WITHOUT_ACCOUNT_ID,
        POLL,
        LOCATION
    }

    public record Options(
            Path directory,
            String ownerHandle,
            Flavour flavour,
            int posts,
            double commentsPerPost,
            double likesPerPost,
            int contacts,
            int aspects,
            double limitedShare,
            double reshareShare,
            int photos,
            int ownCommentsOnOwnPosts,
            int ownLikesOnOwnPosts,
            int ownCommentsOnForeignPosts,
            int ownLikesOnForeignPosts,
            int forged,
            int commentLikes,
            int blocks,
            int followedTags,
            long seed,
            int authorKeyBits,
            int ownerKeyBits,
            Container container,
            Broken broken,
            Set<Problem> problems,
            Instant exportTime) {

        public static Builder builder(Path directory) {
            return new Builder(directory);
        }

        public static final class Builder {
            private final Path directory;
            private String ownerHandle = "ana@oldpod.example";
            private Flavour flavour = Flavour.V09;
            private int posts = 30;
            private double commentsPerPost = 2;
            private double likesPerPost = 3;
            private int contacts = 12;
            private int aspects = 5;
            private double limitedShare = 0.3;
            private double reshareShare = 0.1;
            private int photos = 0;
            private int ownCommentsOnOwnPosts = 5;
            private int ownLikesOnOwnPosts = 3;
            private int ownCommentsOnForeignPosts = 2;
            private int ownLikesOnForeignPosts = 1;
            private int forged = 0;
            private int commentLikes = 1;
            private int blocks = 2;
            private int followedTags = 3;
            private long seed = 1;
            private int authorKeyBits = 2048;
            private int ownerKeyBits = 2048;
            private Container container = Container.GZIP;
            private Broken broken = Broken.NONE;
            private final Set<Problem> problems = EnumSet.noneOf(Problem.class);
            private Instant exportTime = Instant.parse("2026-03-01T09:30:00Z");

            private Builder(Path directory) {
                this.directory = directory;
            }

            public Builder ownerHandle(String value) {
                ownerHandle = value;
                return this;
            }

            public Builder flavour(Flavour value) {
                flavour = value;
                return this;
            }

            public Builder posts(int value) {
                posts = value;
                return this;
            }

            public Builder commentsPerPost(double value) {
                commentsPerPost = value;
                return this;
            }

            public Builder likesPerPost(double value) {
                likesPerPost = value;
                return this;
            }

            public Builder contacts(int value) {
                contacts = value;
                return this;
            }

            public Builder aspects(int value) {
                aspects = value;
                return this;
            }

            public Builder limitedShare(double value) {
                limitedShare = value;
                return this;
            }

            public Builder reshareShare(double value) {
                reshareShare = value;
                return this;
            }

            public Builder photos(int value) {
                photos = value;
                return this;
            }

            public Builder ownCommentsOnOwnPosts(int value) {
                ownCommentsOnOwnPosts = value;
                return this;
            }

            public Builder ownLikesOnOwnPosts(int value) {
                ownLikesOnOwnPosts = value;
                return this;
            }

            public Builder ownCommentsOnForeignPosts(int value) {
                ownCommentsOnForeignPosts = value;
                return this;
            }

            public Builder ownLikesOnForeignPosts(int value) {
                ownLikesOnForeignPosts = value;
                return this;
            }

            /** Others' comments whose text is changed after they were signed. */
            public Builder forged(int value) {
                forged = value;
                return this;
            }

            /** Others' likes of comments (0.9 only; Transplant keeps no likes of comments). */
            public Builder commentLikes(int value) {
                commentLikes = value;
                return this;
            }

            /** Blocked handles (0.9 only). */
            public Builder blocks(int value) {
                blocks = value;
                return this;
            }

            public Builder followedTags(int value) {
                followedTags = value;
                return this;
            }

            public Builder seed(long value) {
                seed = value;
                return this;
            }

            public Builder authorKeyBits(int value) {
                authorKeyBits = value;
                return this;
            }

            public Builder ownerKeyBits(int value) {
                ownerKeyBits = value;
                return this;
            }

            public Builder container(Container value) {
                container = value;
                return this;
            }

            public Builder broken(Broken value) {
                broken = value;
                return this;
            }

            public Builder problems(Problem... values) {
                problems.addAll(Arrays.asList(values));
                return this;
            }

            public Builder exportTime(Instant value) {
                exportTime = value;
                return this;
            }

            public Options build() {
                return new Options(
                        directory,
                        ownerHandle,
                        flavour,
                        posts,
                        commentsPerPost,
                        likesPerPost,
                        contacts,
                        aspects,
                        limitedShare,
                        reshareShare,
                        photos,
                        ownCommentsOnOwnPosts,
                        ownLikesOnOwnPosts,
                        ownCommentsOnForeignPosts,
                        ownLikesOnForeignPosts,
                        forged,
                        commentLikes,
                        blocks,
                        followedTags,
                        seed,
                        authorKeyBits,
                        ownerKeyBits,
                        container,
                        broken,
                        Collections.unmodifiableSet(EnumSet.copyOf(problems)),
                        exportTime);
            }
        }
    }

    /** A collection's size and lowercase hex SHA-256 of its sorted ids joined with "\n". */
    public record Digest(int count, String sha256) {}

    public record LeftOut(String id, String reason) {}

    /**
     * What an importer should keep, per collection: posts (status messages, reshares with a root), photos (in the
     * zip), comments (others' verified, own on own posts), likes (others' verified on posts, own on own posts),
     * contacts (handles with an account_id), aspects (names), followed_tags, blocks. For a broken export it covers
     * only what was written.
     */
    public record Manifest(Map<String, Digest> collections, List<String> forged, List<LeftOut> leftOut) {

        public String toJson() {
            StringBuilder json = new StringBuilder("{\"collections\":{");
            String separator = "";
            for (Map.Entry<String, Digest> entry : collections.entrySet()) {
                json.append(separator)
                        .append(quoted(entry.getKey()))
                        .append(":{\"count\":")
                        .append(entry.getValue().count())
                        .append(",\"sha256\":")
                        .append(quoted(entry.getValue().sha256()))
                        .append('}');
                separator = ",";
            }
            json.append("},\"forged\":[");
            separator = "";
            for (String guid : forged) {
                json.append(separator).append(quoted(guid));
                separator = ",";
            }
            json.append("],\"left_out\":[");
            separator = "";
            for (LeftOut item : leftOut) {
                json.append(separator)
                        .append("{\"id\":")
                        .append(quoted(item.id()))
                        .append(",\"reason\":")
                        .append(quoted(item.reason()))
                        .append('}');
                separator = ",";
            }
            return json.append("]}").toString();
        }
    }

    public record Generated(
            Path dataFile,
            Path photosZip,
            String ownerPublicKeyPem,
            Map<String, String> authorPublicKeys,
            Manifest manifest) {}

    private DiasporaExportGenerator() {}

    public static Generated generate(Options options) throws IOException {
        return new Run(options).write();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One generation: the plan of every post first (small arrays), then the document in one pass.

    private static final String[] HANDLE_NAMES = {
        "dave",
        "judy",
        "kwame",
        "erin",
        "jurgen",
        "hikerpete",
        "sebnem",
        "oleg",
        "asa",
        "mariajose",
        "breadbaker",
        "nightowl"
    };
    private static final String[] DISPLAY_NAMES = {
        "Dave",
        "Judy Kowalski",
        "Kwame Mensah",
        "Erin",
        "Jürgen Smith",
        "美玲",
        "Şebnem Schrödinger",
        "Oleg Taylor",
        "Åsa Lind",
        "María José",
        "Бабушка",
        "Night Owl"
    };
    private static final String[] PODS = {
        "pluspora.example",
        "social.example.org",
        "squeet.example",
        "framasphere.example",
        "joindiaspora.example",
        "diasp.example"
    };
    private static final String[] ASPECTS = {"Family", "Friends", "Work", "Acquaintances", "Старые друзья"};
    private static final String[] TAGS = {
        "fotografie", "fediverse", "cycling", "diaspora", "gardening", "music", "linux", "books"
    };
    private static final String[] SENTENCES = {
        "Baked my first sourdough loaf, it's more of a frisbee than a bread but I'm proud anyway.",
        "What are you all reading this month? \uD83E\uDD94",
        "Three hours of debugging, one missing semicolon.",
        "Reminder: back up your data. Then back up your backups.",
        "Our pod turns ten this year, thanks to everyone who keeps it running!",
        "semicolons; in; text; matter; for; signatures;",
        "Finally got around to fixing the old bike this weekend.",
        "I still think RSS was one of the best ideas the web ever had.",
        "The light this morning was absolutely unreal.",
        "Spring is here and the balcony tomatoes are already sprouting.",
        "Reading about decentralized networks again: who runs the servers?",
        "See [a blog post](https://blog.example.org/2019/05/moving-my-photos).",
        "**Brot backen** _renew the TLS certificate_",
        "Światło dziś rano było niesamowite.",
        "Весна пришла, а с ней и новые идеи.",
        "今日はとても良い天気ですね。",
        "Does anyone know a good self-hosted alternative for calendar sync?",
        "\"Quotes\", back\\slashes and\ttabs survive the trip."
    };
    private static final String[] COMMENTS = {
        "Welcome back!",
        "Thanks for sharing.",
        "Not sure I agree, but good points.",
        "I had the same problem last week.",
        "Dzięki za udostępnienie.",
        "Ha, exactly; and then some.",
        "Love this \u2764\uFE0F",
        "Спасибо!",
        "Where was this taken?",
        "+1; would read again"
    };
    private static final String FORGERY = " Also: cheap watches at https://spam.example/";
    private static final String UNPARSABLE_KEY =
            "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5LCBqdXN0IHRleHQ=\n-----END RSA PRIVATE KEY-----\n";

    private static final List<String> COMMENT_ORDER = List.of("author", "guid", "parent_guid", "text", "created_at");
    private static final List<String> COMMENT_LEGACY_ORDER = List.of("guid", "parent_guid", "text", "author");
    private static final List<String> COMMENT_FRIENDICA_ORDER =
            List.of("author", "guid", "created_at", "edited_at", "parent_guid", "text");
    private static final List<String> LIKE_ORDER = List.of("author", "guid", "parent_guid", "parent_type", "positive");
    private static final List<String> LIKE_LEGACY_ORDER =
            List.of("positive", "guid", "parent_type", "parent_guid", "author");
    private static final List<String> POLL_ORDER = List.of("author", "guid", "parent_guid", "poll_answer_guid");
    private static final List<String> POLL_LEGACY_ORDER = List.of("guid", "parent_guid", "author", "poll_answer_guid");

    // Salts that keep each kind of item's randomness apart.
    private static final long KIND = 1, POST = 2, TEXT = 3, COMMENT = 4, LIKE = 5, PHOTO = 6, CONTACT = 7;
    private static final long OWN_COMMENT = 8, OWN_LIKE = 9, FOREIGN = 10, POLL = 11, POLL_VOTE = 12, TOKEN = 13;
    private static final long COMMENT_LIKE = 14, ORPHAN = 15, PHOTO_NAME = 16, PERSON = 17, LOCATION = 18;
    private static final int PUBLIC = 0, LIMITED = 1, RESHARE = 2, RESHARE_WITHOUT_ROOT = 3;
    private static final int POLL_VOTES = 3;
    private static final int SIGNING_BATCH = 2048;

    private record Contact(
            String handle, String guid, String name, boolean sharing, boolean receiving, List<String> aspects) {}

    private static final class Run {
        private final Options o;
        private final boolean legacyPod;
        private final String username;
        private final String podUri;
        private final String token;
        private final List<Contact> authors = new ArrayList<>();
        private final List<KeyPair> authorKeys = new ArrayList<>();
        private final List<String> aspectNames = new ArrayList<>();
        private final List<String> podUris = new ArrayList<>();
        private final List<String> blocked = new ArrayList<>();
        private final List<String> tags = new ArrayList<>();
        private final Plan plan;
        private final KeyPair ownerKeys;
        private final GuidSet posts = new GuidSet();
        private final GuidSet photos = new GuidSet();
        private final GuidSet comments = new GuidSet();
        private final GuidSet likes = new GuidSet();
        private final List<String> forged = new ArrayList<>();
        private final List<LeftOut> leftOut = new ArrayList<>();
        private ZipOutputStream photoZip;
        private ForkJoinPool signers;
        private long commentCounter;

        Run(Options options) {
            o = options;
            int at = o.ownerHandle().indexOf('@');
            if (at <= 0 || at == o.ownerHandle().length() - 1) {
                throw new IllegalArgumentException("owner handle must be user@host: " + o.ownerHandle());
            }
            if (!o.problems().isEmpty() && o.posts() < 3) {
                throw new IllegalArgumentException("problems need at least 3 posts");
            }
            if (o.broken() == Broken.TRUNCATED_GZIP && o.container() != Container.GZIP) {
                throw new IllegalArgumentException("a truncated gzip needs the GZIP container");
            }
            legacyPod = o.flavour() == Flavour.V07;
            username = o.ownerHandle().substring(0, at);
            podUri = "https://" + o.ownerHandle().substring(at + 1) + "/";
            token = hex(mix(o.seed(), TOKEN, 0, 0))
                    + hex(mix(o.seed(), TOKEN, 1, 0)).substring(0, 4);
            for (int a = 0; a < o.aspects(); a++) {
                aspectNames.add(a < ASPECTS.length ? ASPECTS[a] : "Aspect " + (a + 1));
            }
            for (int t = 0; t < o.followedTags(); t++) {
                tags.add(t < TAGS.length ? TAGS[t] : "tag" + (t + 1));
            }
            for (int b = 0; !legacyPod && b < o.blocks(); b++) {
                blocked.add("troll" + (b + 1) + "@spam.example");
            }
            makeContacts();
            plan = new Plan(o, authors.size());
            ownerKeys = Keys.rsa(o.seed(), "owner", o.ownerKeyBits());
        }

        private void makeContacts() {
            Set<String> pods = new TreeSet<>();
            for (int c = 0; c < o.contacts(); c++) {
                Random r = random(CONTACT, c, 0);
                String local = HANDLE_NAMES[c % HANDLE_NAMES.length] + (c < HANDLE_NAMES.length ? "" : "_" + c);
                String pod = PODS[r.nextInt(PODS.length)];
                // diaspora*'s ratio of mutual, only-receiving and only-sharing contacts, roughly.
                int kind = r.nextInt(20);
                List<String> memberships = new ArrayList<>();
                for (String aspect : aspectNames) {
                    if (r.nextInt(10) < 3) {
                        memberships.add(aspect);
                    }
                }
                authors.add(new Contact(
                        local + "@" + pod,
                        personGuid(c),
                        DISPLAY_NAMES[c % DISPLAY_NAMES.length],
                        kind < 12 || kind >= 17,
                        kind < 17,
                        memberships));
                authorKeys.add(Keys.rsa(o.seed(), "contact-" + c, o.authorKeyBits()));
                pods.add("https://" + pod);
            }
            podUris.addAll(pods);
            podUris.add(podUri); // diaspora*'s exporter appends its own pod
        }

        Generated write() throws IOException {
            Files.createDirectories(o.directory());
            String base = "diaspora_" + username + "_data_" + token;
            Path data = o.directory().resolve(base + extension());
            Path photosPath = plan.photoCount == 0
                    ? null
                    : o.directory().resolve("diaspora_" + username + "_photos_" + token + ".zip");
            signers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            try {
                if (photosPath != null) {
                    photoZip =
                            new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(photosPath), 1 << 16));
                }
                try (Writer writer = new BufferedWriter(new OutputStreamWriter(open(data, base), UTF_8), 1 << 16)) {
                    writeDocument(new JsonOut(writer));
                } catch (Cut cut) {
                    // MALFORMED_JSON: the document ends where it was cut; the streams above are closed normally.
                }
            } finally {
                signers.shutdownNow();
                if (photoZip != null) {
                    photoZip.close();
                }
            }
            if (o.container() == Container.GZIP) {
                finishGzip(data);
            }
            Map<String, String> authorPems = new LinkedHashMap<>();
            for (int a = 0; a < authors.size(); a++) {
                authorPems.put(authors.get(a).handle(), Keys.publicPem(authorKeys.get(a)));
            }
            return new Generated(
                    data, photosPath, Keys.publicPem(ownerKeys), Collections.unmodifiableMap(authorPems), manifest());
        }

        private String extension() {
            return switch (o.container()) {
                case GZIP -> ".json.gz";
                case PLAIN -> ".json";
                case ZIP -> ".zip";
            };
        }

        private OutputStream open(Path data, String base) throws IOException {
            OutputStream file = new BufferedOutputStream(Files.newOutputStream(data), 1 << 16);
            switch (o.container()) {
                case GZIP:
                    return new GZIPOutputStream(file, 1 << 16);
                case ZIP:
                    ZipOutputStream zip = new ZipOutputStream(file);
                    zip.putNextEntry(zipEntry(base + ".json"));
                    return zip;
                default:
                    return file;
            }
        }

        private ZipEntry zipEntry(String name) {
            ZipEntry entry = new ZipEntry(name);
            // Local time fields, not setTime: the bytes must not depend on the machine's time zone.
            entry.setTimeLocal(LocalDateTime.ofInstant(o.exportTime(), ZoneOffset.UTC));
            return entry;
        }

        /** Ruby's zlib stamps the gzip header with the export time (importers may use it as the export's date). */
        private void finishGzip(Path data) throws IOException {
            try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
                long mtime = o.exportTime().getEpochSecond();
                file.seek(4);
                for (int b = 0; b < 4; b++) {
                    file.write((int) (mtime >>> (8 * b)));
                }
                file.seek(9);
                file.write(3); // OS: Unix
                if (o.broken() == Broken.TRUNCATED_GZIP) {
                    file.setLength(file.length() / 2);
                }
            }
        }

        private void writeDocument(JsonOut json) throws IOException {
            json.beginObject();
            if (o.broken() != Broken.MISSING_VERSION) {
                json.field("version", o.broken() == Broken.WRONG_VERSION ? "1.0" : "2.0");
            }
            if (o.broken() != Broken.MISSING_USER) {
                json.name("user");
                writeUser(json);
            }
            json.name("others_data").beginObject().name("relayables");
            writeOthersRelayables(json);
            json.endObject().endObject();
        }

        private void writeUser(JsonOut json) throws IOException {
            json.beginObject()
                    .field("username", username)
                    .field("email", username + "@mailbox.example")
                    .field("language", "en");
            if (o.broken() != Broken.MISSING_PRIVATE_KEY) {
                json.field(
                        "private_key",
                        o.broken() == Broken.UNPARSABLE_PRIVATE_KEY
                                ? UNPARSABLE_KEY
                                : Keys.pkcs1Pem(ownerKeys.getPrivate()));
            }
            json.field("disable_mail", false)
                    .field("show_community_spotlight_in_stream", true)
                    .field("auto_follow_back", false)
                    .field("auto_follow_back_aspect", null);
            if (legacyPod) {
                json.field("strip_exif", true);
            } else {
                json.name("blocks").beginArray();
                for (String handle : blocked) {
                    json.value(handle);
                }
                json.endArray();
            }
            if (o.broken() != Broken.MISSING_PROFILE) {
                writeProfile(json);
            }
            writeAspects(json);
            writeContacts(json);
            json.name("posts").beginArray();
            for (int i = 0; i < o.posts(); i++) {
                writePost(json, i);
            }
            json.endArray();
            json.name("followed_tags").beginArray();
            for (String tag : tags) {
                json.value(tag);
            }
            json.endArray();
            json.name("post_subscriptions").beginArray();
            for (int k = 0; k < foreignPostCount(); k++) {
                json.value(foreignPostGuid(k));
            }
            json.endArray();
            writeOwnRelayables(json);
            json.endObject();
        }

        private void writeProfile(JsonOut json) throws IOException {
            json.name("profile")
                    .beginObject()
                    .field("entity_type", "profile")
                    .name("entity_data")
                    .beginObject()
                    .field("author", o.ownerHandle());
            if (o.broken() == Broken.MALFORMED_JSON && o.posts() == 0) {
                throw new Cut();
            }
            if (!legacyPod) {
                json.field("edited_at", iso(o.exportTime().getEpochSecond() - 3 * 86_400));
            }
            String images = podUri + "uploads/images/";
            String avatar = guidOf(mix(o.seed(), PHOTO_NAME, -1, 0)).substring(0, 20) + ".png";
            StringBuilder tagString = new StringBuilder();
            for (String tag : tags) {
                tagString.append(tagString.length() == 0 ? "#" : " #").append(tag);
            }
            json.field("first_name", Character.toUpperCase(username.charAt(0)) + username.substring(1))
                    .field("last_name", "Taylor")
                    .field("image_url", images + "thumb_large_" + avatar)
                    .field("image_url_medium", images + "thumb_medium_" + avatar)
                    .field("image_url_small", images + "thumb_small_" + avatar)
                    .field("bio", "Here for the **conversations**, not the algorithms.\n\nMaker of things; breaker.")
                    .field("birthday", "1987-06-15")
                    .field("gender", "genderfluid")
                    .field("location", "Lisboa")
                    .field("searchable", true)
                    .field("public", true)
                    .field("nsfw", false)
                    .field("tag_string", tagString.toString())
                    .endObject()
                    .endObject();
        }

        private void writeAspects(JsonOut json) throws IOException {
            json.name("contact_groups").beginArray();
            for (int a = 0; a < aspectNames.size(); a++) {
                json.beginObject().field("name", aspectNames.get(a));
                if (legacyPod) {
                    json.field("chat_enabled", a % 2 == 0);
                }
                json.endObject();
            }
            json.endArray();
        }

        private void writeContacts(JsonOut json) throws IOException {
            json.name("contacts").beginArray();
            for (int c = 0; c < authors.size(); c++) {
                writeContact(json, authors.get(c), Keys.publicPem(authorKeys.get(c)));
            }
            if (o.problems().contains(Problem.CONTACT_WITHOUT_ACCOUNT_ID)) {
                Contact nobody = new Contact(null, personGuid(o.contacts()), "No Handle", true, false, List.of());
                writeContact(json, nobody, null);
                leftOut.add(new LeftOut(nobody.guid(), "no-account-id"));
            }
            json.endArray();
        }

        private void writeContact(JsonOut json, Contact contact, String publicKey) throws IOException {
            // diaspora*'s ContactSerializer: following = sharing, followed = receiving (legacy duplicates).
            json.beginObject()
                    .field("sharing", contact.sharing())
                    .field("receiving", contact.receiving())
                    .field("following", contact.sharing())
                    .field("followed", contact.receiving())
                    .field("person_guid", contact.guid())
                    .field("person_name", contact.name());
            if (contact.handle() != null) {
                json.field("account_id", contact.handle());
            }
            if (publicKey != null) {
                json.field("public_key", publicKey);
            }
            json.name("contact_groups_membership").beginArray();
            for (String aspect : contact.aspects()) {
                json.value(aspect);
            }
            json.endArray().endObject();
        }

        private void writePost(JsonOut json, int i) throws IOException {
            int kind = plan.kind[i];
            Random r = random(POST, i, 0);
            long id = mix(o.seed(), POST, i, 0);
            String guid = guidOf(id);
            json.beginObject();
            if (kind == LIMITED) {
                json.name("subscribed_users_ids").beginArray();
                for (String handle : audience(r)) {
                    json.value(handle);
                }
            } else {
                json.name("subscribed_pods_uris").beginArray();
                for (String pod : podUris) {
                    json.value(pod);
                }
            }
            json.endArray();
            json.field("entity_type", kind >= RESHARE ? "reshare" : "status_message");
            json.name("entity_data")
                    .beginObject()
                    .field("author", o.ownerHandle())
                    .field("guid", guid);
            if (o.broken() == Broken.MALFORMED_JSON && i == o.posts() / 2) {
                throw new Cut();
            }
            json.field("created_at", iso(plan.postTime(i)));
            if (kind == RESHARE_WITHOUT_ROOT) {
                leftOut.add(new LeftOut(guid, "no-root"));
            } else if (kind == RESHARE) {
                // No "public" on reshares: the schema's subscription oneOf would then match twice.
                json.field("root_author", "mariajose@social.example.org")
                        .field("root_guid", guidOf(mix(o.seed(), FOREIGN, i, 1)));
                posts.add(id);
            } else {
                json.field("public", kind == PUBLIC);
                if (r.nextInt(20) == 0) {
                    json.field("provider_display_name", "dandelion*");
                }
                json.field("text", postText(r));
                writePhotos(json, i, guid, kind == PUBLIC);
                if (i == plan.pollPost) {
                    writePoll(json);
                }
                if (i == plan.locationPost) {
                    json.name("location")
                            .beginObject()
                            .field("entity_type", "location")
                            .name("entity_data")
                            .beginObject()
                            .field("address", "Alexanderplatz, Berlin")
                            .field("lat", "52.5219")
                            .field("lng", "13.4132")
                            .endObject()
                            .endObject();
                    leftOut.add(new LeftOut(guid, "location"));
                }
                posts.add(id);
            }
            json.endObject().endObject();
        }

        /** The members of one aspect: diaspora* exports the recipients of a limited post, not its aspects. */
        private List<String> audience(Random r) {
            List<String> handles = new ArrayList<>();
            if (!aspectNames.isEmpty()) {
                String aspect = aspectNames.get(r.nextInt(aspectNames.size()));
                for (Contact contact : authors) {
                    if (contact.aspects().contains(aspect)) {
                        handles.add(contact.handle());
                    }
                }
            }
            if (handles.isEmpty() && !authors.isEmpty()) {
                handles.add(authors.get(r.nextInt(authors.size())).handle());
            }
            return handles;
        }

        private String postText(Random r) {
            StringBuilder text = new StringBuilder();
            if (!authors.isEmpty() && r.nextInt(4) == 0) {
                Contact mentioned = authors.get(r.nextInt(authors.size()));
                text.append("@{")
                        .append(mentioned.name())
                        .append("; ")
                        .append(mentioned.handle())
                        .append("} ");
            }
            int sentences = 1 + r.nextInt(4);
            for (int s = 0; s < sentences; s++) {
                if (s > 0) {
                    text.append(r.nextInt(3) == 0 ? "\n\n" : " ");
                }
                text.append(SENTENCES[r.nextInt(SENTENCES.length)]);
            }
            if (r.nextInt(3) == 0) {
                text.append("\n\n#").append(TAGS[r.nextInt(TAGS.length)]);
            }
            return text.toString();
        }

        private void writePhotos(JsonOut json, int post, String postGuid, boolean isPublic) throws IOException {
            json.name("photos").beginArray();
            for (int k = plan.photoStart[post]; k < plan.photoStart[post + 1]; k++) {
                Random r = random(PHOTO, k, 0);
                long id = mix(o.seed(), PHOTO, k, 0);
                String name = guidOf(mix(o.seed(), PHOTO_NAME, k, 0)).substring(0, 20) + ".png";
                int width = 16 + r.nextInt(48);
                int height = 16 + r.nextInt(48);
                json.beginObject()
                        .field("entity_type", "photo")
                        .name("entity_data")
                        .beginObject()
                        .field("guid", guidOf(id))
                        .field("author", o.ownerHandle())
                        .field("public", isPublic)
                        .field("created_at", iso(plan.postTime(post) - 60 - r.nextInt(600)))
                        .field("remote_photo_path", podUri + "uploads/images/")
                        .field("remote_photo_name", name);
                if (r.nextInt(4) == 0) {
                    json.field("text", "A caption; with a semicolon");
                }
                json.field("status_message_guid", postGuid)
                        .field("height", height)
                        .field("width", width)
                        .endObject()
                        .endObject();
                photoZip.putNextEntry(zipEntry(name));
                photoZip.write(Png.of(width, height, r.nextInt()));
                photoZip.closeEntry();
                photos.add(id);
            }
            json.endArray();
        }

        private static final String[] ANSWERS = {"vim", "emacs", "VS Code", "nano"};

        private void writePoll(JsonOut json) throws IOException {
            String pollGuid = pollGuid(0);
            json.name("poll")
                    .beginObject()
                    .field("entity_type", "poll")
                    .name("entity_data")
                    .beginObject()
                    .field("guid", pollGuid)
                    .field("question", "Which editor do you use?")
                    .name("poll_answers")
                    .beginArray();
            for (int a = 0; a < ANSWERS.length; a++) {
                json.beginObject()
                        .field("entity_type", "poll_answer")
                        .name("entity_data")
                        .beginObject()
                        .field("guid", pollGuid(a + 1))
                        .field("answer", ANSWERS[a])
                        .endObject()
                        .endObject();
            }
            json.endArray().endObject().endObject();
            leftOut.add(new LeftOut(pollGuid, "poll"));
        }

        /** The poll's guid (0) or its answers' (1..). */
        private String pollGuid(int part) {
            return guidOf(mix(o.seed(), POLL, plan.pollPost, part));
        }

        private int foreignPostCount() {
            int own = o.ownCommentsOnForeignPosts() + o.ownLikesOnForeignPosts();
            return own == 0 ? 0 : Math.max(o.ownCommentsOnForeignPosts(), o.ownLikesOnForeignPosts());
        }

        /** Others' posts the owner took part in; Friendica-made ones have UUID guids. */
        private String foreignPostGuid(int k) {
            String guid = guidOf(mix(o.seed(), FOREIGN, k, 0));
            if (k % 3 != 2) {
                return guid;
            }
            return guid.substring(0, 8) + "-" + guid.substring(8, 12) + "-" + guid.substring(12, 16) + "-"
                    + guid.substring(16, 20) + "-" + guid.substring(20);
        }

        private void writeOwnRelayables(JsonOut json) throws IOException {
            json.name("relayables").beginArray();
            int ownable = plan.ownablePosts();
            for (int k = 0; ownable > 0 && k < o.ownCommentsOnOwnPosts(); k++) {
                int post = plan.ownPost((int) Math.floorMod(mix(o.seed(), OWN_COMMENT, k, 1), (long) ownable));
                long id = mix(o.seed(), OWN_COMMENT, k, 0);
                ownComment(json, id, guidOf(mix(o.seed(), POST, post, 0)), plan.postTime(post));
                comments.add(id);
            }
            int ownLikes = Math.min(o.ownLikesOnOwnPosts(), ownable);
            for (int k = 0; k < ownLikes; k++) {
                int post = plan.ownPost((int) ((long) k * ownable / ownLikes));
                long id = mix(o.seed(), OWN_LIKE, k, 0);
                ownLike(json, id, guidOf(mix(o.seed(), POST, post, 0)));
                likes.add(id);
            }
            for (int k = 0; k < o.ownCommentsOnForeignPosts(); k++) {
                long id = mix(o.seed(), OWN_COMMENT, k, 2);
                ownComment(json, id, foreignPostGuid(k % foreignPostCount()), plan.postTime(0));
                leftOut.add(new LeftOut(guidOf(id), "own-on-foreign"));
            }
            for (int k = 0; k < o.ownLikesOnForeignPosts(); k++) {
                long id = mix(o.seed(), OWN_LIKE, k, 2);
                ownLike(json, id, foreignPostGuid(k));
                leftOut.add(new LeftOut(guidOf(id), "own-on-foreign"));
            }
            json.endArray();
        }

        // The exporter strips the owner's author_signature from their own relayables.
        private void ownComment(JsonOut json, long id, String parent, long after) throws IOException {
            Random r = new Random(id);
            Map<String, Object> data = relayableData(o.ownerHandle(), guidOf(id), parent);
            data.put("text", COMMENTS[r.nextInt(COMMENTS.length)]);
            data.put("created_at", iso(after + 60 + r.nextInt(259_200)));
            new Relayable("comment", data, COMMENT_ORDER, null, false).write(json);
        }

        private void ownLike(JsonOut json, long id, String parent) throws IOException {
            Map<String, Object> data = relayableData(o.ownerHandle(), guidOf(id), parent);
            data.put("parent_type", "Post");
            data.put("positive", true);
            new Relayable("like", data, LIKE_ORDER, null, false).write(json);
        }

        private void writeOthersRelayables(JsonOut json) throws IOException {
            json.beginArray();
            List<Relayable> batch = new ArrayList<>();
            for (int i = 0; i < o.posts(); i++) {
                String parent = guidOf(mix(o.seed(), POST, i, 0));
                String firstComment = null;
                for (int j = 0; j < plan.comments[i]; j++) {
                    long id = mix(o.seed(), COMMENT, i, j);
                    boolean forgery = plan.isForged(commentCounter++);
                    batch.add(othersComment(id, parent, plan.postTime(i), forgery));
                    if (forgery) {
                        forged.add(guidOf(id));
                        leftOut.add(new LeftOut(guidOf(id), "forged"));
                    } else {
                        comments.add(id);
                    }
                    firstComment = firstComment == null ? guidOf(id) : firstComment;
                }
                int[] likers = shuffledAuthors(random(LIKE, i, -1));
                for (int j = 0; j < plan.likes[i]; j++) {
                    long id = mix(o.seed(), LIKE, i, j);
                    batch.add(othersLike(id, parent, "Post", likers[j]));
                    likes.add(id);
                }
                if (i == plan.pollPost) {
                    for (int v = 0; v < Math.min(POLL_VOTES, authors.size()); v++) {
                        batch.add(pollVote(v));
                    }
                }
                if (plan.commentLikePosts.get(i)) {
                    long id = mix(o.seed(), COMMENT_LIKE, i, 0);
                    batch.add(othersLike(
                            id,
                            firstComment,
                            "Comment",
                            random(COMMENT_LIKE, i, 0).nextInt(authors.size())));
                    leftOut.add(new LeftOut(guidOf(id), "comment-like"));
                }
                if (batch.size() >= SIGNING_BATCH) {
                    signAndWrite(json, batch);
                }
            }
            if (o.problems().contains(Problem.RELAYABLE_WITHOUT_PARENT) && !authors.isEmpty()) {
                long id = mix(o.seed(), ORPHAN, 0, 0);
                batch.add(othersComment(id, guidOf(mix(o.seed(), ORPHAN, 0, 1)), plan.postTime(0), false));
                leftOut.add(new LeftOut(guidOf(id), "no-parent"));
            }
            signAndWrite(json, batch);
            json.endArray();
        }

        private void signAndWrite(JsonOut json, List<Relayable> batch) throws IOException {
            signers.submit(() -> batch.parallelStream().forEach(Relayable::sign))
                    .join();
            for (Relayable relayable : batch) {
                relayable.write(json);
            }
            batch.clear();
        }

        private Relayable othersComment(long id, String parent, long after, boolean forgery) {
            Random r = random(COMMENT, id, 0);
            int author = r.nextInt(authors.size());
            double order = r.nextDouble();
            boolean legacy = order < legacyShare();
            boolean friendica = !legacy && !legacyPod && order < legacyShare() + 0.03;
            String text = COMMENTS[r.nextInt(COMMENTS.length)];
            if (r.nextInt(3) == 0) {
                text += " " + SENTENCES[r.nextInt(SENTENCES.length)];
            }
            long created = after + 60 + r.nextInt(259_200);
            Map<String, Object> data = relayableData(authors.get(author).handle(), guidOf(id), parent);
            data.put("text", text);
            if (!(legacy && legacyPod)) {
                // 0.9 keeps created_at beside a legacy order (unsigned); 0.7 exports of old comments have none.
                data.put("created_at", iso(created));
            }
            if (friendica) {
                data.put("edited_at", iso(created + 300));
            }
            List<String> propertyOrder =
                    legacy ? COMMENT_LEGACY_ORDER : friendica ? COMMENT_FRIENDICA_ORDER : COMMENT_ORDER;
            return new Relayable(
                    "comment", data, propertyOrder, authorKeys.get(author).getPrivate(), forgery);
        }

        private Relayable othersLike(long id, String parent, String parentType, int author) {
            Random r = random(LIKE, id, 0);
            Map<String, Object> data = relayableData(authors.get(author).handle(), guidOf(id), parent);
            data.put("parent_type", parentType);
            data.put("positive", true);
            List<String> propertyOrder = r.nextDouble() < legacyShare() ? LIKE_LEGACY_ORDER : LIKE_ORDER;
            return new Relayable(
                    "like", data, propertyOrder, authorKeys.get(author).getPrivate(), false);
        }

        private Relayable pollVote(int v) {
            long id = mix(o.seed(), POLL_VOTE, v, 0);
            Random r = random(POLL_VOTE, v, 1);
            Map<String, Object> data = relayableData(authors.get(v).handle(), guidOf(id), pollGuid(0));
            data.put("poll_answer_guid", pollGuid(1 + r.nextInt(ANSWERS.length)));
            leftOut.add(new LeftOut(guidOf(id), "poll"));
            List<String> propertyOrder = r.nextBoolean() ? POLL_LEGACY_ORDER : POLL_ORDER;
            return new Relayable(
                    "poll_participation", data, propertyOrder, authorKeys.get(v).getPrivate(), false);
        }

        private double legacyShare() {
            return legacyPod ? 0.5 : 0.2;
        }

        /** A person likes a post once: each post's likers are distinct. */
        private int[] shuffledAuthors(Random r) {
            int[] order = new int[authors.size()];
            for (int a = 0; a < order.length; a++) {
                order[a] = a;
            }
            for (int a = order.length - 1; a > 0; a--) {
                int b = r.nextInt(a + 1);
                int swap = order[a];
                order[a] = order[b];
                order[b] = swap;
            }
            return order;
        }

        private Manifest manifest() {
            Map<String, Digest> collections = new LinkedHashMap<>();
            collections.put("posts", posts.digest());
            collections.put("photos", photos.digest());
            collections.put("comments", comments.digest());
            collections.put("likes", likes.digest());
            List<String> handles = new ArrayList<>();
            for (Contact contact : authors) {
                handles.add(contact.handle());
            }
            collections.put("contacts", digestOf(handles));
            collections.put("aspects", digestOf(aspectNames));
            collections.put("followed_tags", digestOf(tags));
            collections.put("blocks", digestOf(blocked));
            return new Manifest(Collections.unmodifiableMap(collections), List.copyOf(forged), List.copyOf(leftOut));
        }

        private String personGuid(int c) {
            long id = mix(o.seed(), PERSON, c, 0);
            return c % 2 == 0 ? hex(id) : guidOf(id);
        }

        private Random random(long salt, long a, long b) {
            return new Random(mix(o.seed(), salt + 1000, a, b));
        }
    }

    private static Map<String, Object> relayableData(String author, String guid, String parent) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("author", author);
        data.put("guid", guid);
        data.put("parent_guid", parent);
        return data;
    }

    /** Which posts are what, and how many relayables and photos each has: small arrays, one entry a post. */
    private static final class Plan {
        final byte[] kind;
        final int[] comments;
        final int[] likes;
        final int[] photoStart;
        final BitSet commentLikePosts = new BitSet();
        final long[] forgedComments;
        final int photoCount;
        final int noRootPost;
        final int pollPost;
        final int locationPost;
        private final long seed;
        private final long start;
        private final long step;

        Plan(Options o, int authors) {
            int n = o.posts();
            seed = o.seed();
            kind = new byte[n];
            comments = new int[n];
            likes = new int[n];
            photoStart = new int[n + 1];
            noRootPost = o.problems().contains(Problem.RESHARE_WITHOUT_ROOT) ? 0 : -1;
            pollPost = o.problems().contains(Problem.POLL) ? n / 3 : -1;
            locationPost = o.problems().contains(Problem.LOCATION) ? 2 * n / 3 : -1;
            start = Instant.parse("2014-01-01T00:00:00Z").getEpochSecond();
            long span = Math.max(n, o.exportTime().getEpochSecond() - 30 * 86_400L - start);
            step = span / Math.max(1, n);
            int statuses = 0;
            long totalComments = 0;
            for (int i = 0; i < n; i++) {
                Random r = new Random(mix(seed, KIND, i, 0));
                int k = r.nextDouble() < o.reshareShare()
                        ? RESHARE
                        : r.nextDouble() < o.limitedShare() ? LIMITED : PUBLIC;
                if ((i == pollPost || i == locationPost) && k == RESHARE) {
                    k = PUBLIC;
                }
                if (i == noRootPost) {
                    k = RESHARE_WITHOUT_ROOT;
                }
                kind[i] = (byte) k;
                if (k != RESHARE_WITHOUT_ROOT && authors > 0) {
                    comments[i] = count(o.commentsPerPost(), r);
                    likes[i] = Math.min(authors, count(o.likesPerPost(), r));
                }
                statuses += k <= LIMITED ? 1 : 0;
                totalComments += comments[i];
            }
            photoCount = statuses == 0 ? 0 : o.photos();
            for (int i = 0, s = 0; i < n; i++) {
                int share = 0;
                if (kind[i] <= LIMITED) {
                    share = (int) ((long) (s + 1) * photoCount / statuses - (long) s * photoCount / statuses);
                    s++;
                }
                photoStart[i + 1] = photoStart[i] + share;
            }
            int forgeries = (int) Math.min(o.forged(), totalComments);
            forgedComments = new long[forgeries];
            for (int f = 0; f < forgeries; f++) {
                forgedComments[f] = (2L * f + 1) * totalComments / (2L * forgeries);
            }
            if (o.flavour() == Flavour.V09) {
                markCommentLikes(o.commentLikes());
            }
        }

        /** Spreads the likes of comments over posts that have comments. */
        private void markCommentLikes(int wanted) {
            int eligible = 0;
            for (int count : comments) {
                eligible += count > 0 ? 1 : 0;
            }
            int chosen = Math.min(wanted, eligible);
            for (int i = 0, e = 0, next = 0; i < comments.length && next < chosen; i++) {
                if (comments[i] > 0) {
                    if (e == (int) ((2L * next + 1) * eligible / (2L * chosen))) {
                        commentLikePosts.set(i);
                        next++;
                    }
                    e++;
                }
            }
        }

        /** A mean of {@code average}: uniform in 0..2·floor(average), plus one with the fraction's chance. */
        private static int count(double average, Random r) {
            int base = (int) Math.floor(average);
            return r.nextInt(2 * base + 1) + (r.nextDouble() < average - base ? 1 : 0);
        }

        boolean isForged(long commentIndex) {
            return Arrays.binarySearch(forgedComments, commentIndex) >= 0;
        }

        /** Posts in order from 2014 to a month before the export. */
        long postTime(int i) {
            long jitter = step > 1 ? new Random(mix(seed, KIND, i, 1)).nextLong(step) : 0;
            return start + i * step + jitter;
        }

        /** Posts the owner's own relayables may sit on: all but a reshare without root. */
        int ownablePosts() {
            return kind.length - (noRootPost >= 0 ? 1 : 0);
        }

        int ownPost(int index) {
            return noRootPost >= 0 && index >= noRootPost ? index + 1 : index;
        }
    }

    /** One of others' (signed) or the owner's (unsigned) comments, likes, poll participations. */
    private static final class Relayable {
        private final String entityType;
        private final Map<String, Object> data;
        private final List<String> order;
        private final PrivateKey key;
        private final boolean forgery;
        private String signature;

        Relayable(String entityType, Map<String, Object> data, List<String> order, PrivateKey key, boolean forgery) {
            this.entityType = entityType;
            this.data = data;
            this.order = order;
            this.key = key;
            this.forgery = forgery;
        }

        /** diaspora_federation's rule: the values named by property_order, joined with ";", signed SHA256withRSA. */
        void sign() {
            StringJoiner text = new StringJoiner(";");
            for (String name : order) {
                if (!name.equals("author_signature") && !name.equals("parent_author_signature")) {
                    Object value = data.get(name);
                    text.add(value == null ? "" : value.toString());
                }
            }
            signature = Keys.sign(text.toString(), key);
            if (forgery) {
                data.put("text", data.get("text") + FORGERY);
            }
        }

        void write(JsonOut json) throws IOException {
            json.beginObject()
                    .field("entity_type", entityType)
                    .name("entity_data")
                    .beginObject();
            for (Map.Entry<String, Object> entry : data.entrySet()) {
                json.field(entry.getKey(), entry.getValue());
                if (entry.getKey().equals("parent_guid") && signature != null) {
                    json.field("author_signature", signature);
                }
            }
            json.endObject().name("property_order").beginArray();
            for (String name : order) {
                json.value(name);
            }
            json.endArray().endObject();
        }
    }

    /** Deterministic RSA keys (from the seed, so a seed gives the same file), cached for the JVM's life. */
    private static final class Keys {
        private static final Map<String, KeyPair> CACHE = new ConcurrentHashMap<>();
        private static final BigInteger E = BigInteger.valueOf(65_537);

        static KeyPair rsa(long seed, String role, int bits) {
            return CACHE.computeIfAbsent(
                    seed + "/" + role + "/" + bits,
                    key -> generate(new Random(mix(seed, role.hashCode(), bits, 0)), bits));
        }

        private static KeyPair generate(Random random, int bits) {
            while (true) {
                BigInteger p = BigInteger.probablePrime(bits - bits / 2, random);
                BigInteger q = BigInteger.probablePrime(bits / 2, random);
                BigInteger n = p.multiply(q);
                BigInteger p1 = p.subtract(BigInteger.ONE);
                BigInteger q1 = q.subtract(BigInteger.ONE);
                if (p.equals(q)
                        || n.bitLength() != bits
                        || !E.gcd(p1).equals(BigInteger.ONE)
                        || !E.gcd(q1).equals(BigInteger.ONE)) {
                    continue;
                }
                BigInteger d = E.modInverse(p1.multiply(q1));
                try {
                    KeyFactory factory = KeyFactory.getInstance("RSA");
                    return new KeyPair(
                            factory.generatePublic(new RSAPublicKeySpec(n, E)),
                            factory.generatePrivate(
                                    new RSAPrivateCrtKeySpec(n, E, d, p, q, d.mod(p1), d.mod(q1), q.modInverse(p))));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        static String sign(String text, PrivateKey key) {
            try {
                Signature signer = Signature.getInstance("SHA256withRSA");
                signer.initSign(key);
                signer.update(text.getBytes(UTF_8));
                return Base64.getEncoder().encodeToString(signer.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static String publicPem(KeyPair pair) {
            return pem("PUBLIC KEY", pair.getPublic().getEncoded());
        }

        /** PKCS#1, as diaspora* stores and exports it: the RSAPrivateKey inside the JDK's PKCS#8 encoding. */
        static String pkcs1Pem(PrivateKey key) {
            byte[] der = key.getEncoded();
            int[] at = {0};
            header(der, at, 0x30); // PrivateKeyInfo: enter it
            skip(der, at, 0x02); // version
            skip(der, at, 0x30); // algorithm
            int length = header(der, at, 0x04); // privateKey
            return pem("RSA PRIVATE KEY", Arrays.copyOfRange(der, at[0], at[0] + length));
        }

        private static void skip(byte[] der, int[] at, int tag) {
            int length = header(der, at, tag);
            at[0] += length;
        }

        /** Reads a DER tag and length; leaves {@code at} on the contents and returns their length. */
        private static int header(byte[] der, int[] at, int tag) {
            if ((der[at[0]++] & 0xff) != tag) {
                throw new IllegalStateException("unexpected DER tag in the JDK's PKCS#8 key");
            }
            int length = der[at[0]++] & 0xff;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                length = 0;
                for (int b = 0; b < bytes; b++) {
                    length = (length << 8) | (der[at[0]++] & 0xff);
                }
            }
            return length;
        }

        private static String pem(String type, byte[] der) {
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
            return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        }
    }

    /** 64-bit ids of generated guids; the guid text derives from the id, so sorting ids sorts the guids. */
    private static final class GuidSet {
        private long[] ids = new long[256];
        private int size;

        void add(long id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        Digest digest() {
            long[] sorted = Arrays.copyOf(ids, size);
            // Lexicographic order of the hex text is the unsigned order of the ids.
            for (int i = 0; i < size; i++) {
                sorted[i] ^= Long.MIN_VALUE;
            }
            Arrays.sort(sorted);
            MessageDigest sha = sha256();
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    sha.update((byte) '\n');
                }
                sha.update(guidOf(sorted[i] ^ Long.MIN_VALUE).getBytes(UTF_8));
            }
            return new Digest(size, hexBytes(sha.digest()));
        }
    }

    private static Digest digestOf(List<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        return new Digest(
                sorted.size(),
                hexBytes(sha256().digest(String.join("\n", sorted).getBytes(UTF_8))));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tiny RGB gradient PNG, written by hand so the bytes are the same on every JDK. */
    private static final class Png {
        static byte[] of(int width, int height, int colour) {
            try {
                ByteArrayOutputStream pixels = new ByteArrayOutputStream();
                try (DeflaterOutputStream zlib = new DeflaterOutputStream(pixels)) {
                    for (int y = 0; y < height; y++) {
                        zlib.write(0); // filter: none
                        for (int x = 0; x < width; x++) {
                            zlib.write((colour >> 16) + x * 4);
                            zlib.write((colour >> 8) + y * 4);
                            zlib.write(colour + x + y);
                        }
                    }
                }
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(png);
                out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
                ByteArrayOutputStream header = new ByteArrayOutputStream();
                DataOutputStream ihdr = new DataOutputStream(header);
                ihdr.writeInt(width);
                ihdr.writeInt(height);
                ihdr.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, no filter set, no interlace
                chunk(out, "IHDR", header.toByteArray());
                chunk(out, "IDAT", pixels.toByteArray());
                chunk(out, "IEND", new byte[0]);
                return png.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
            byte[] name = type.getBytes(UTF_8);
            CRC32 crc = new CRC32();
            crc.update(name);
            crc.update(data);
            out.writeInt(data.length);
            out.write(name);
            out.write(data);
            out.writeInt((int) crc.getValue());
        }
    }

    /** A streaming JSON writer, compact like Ruby's to_json; non-ASCII stays UTF-8. */
    private static final class JsonOut {
        private final Writer out;
        private boolean comma;

        JsonOut(Writer out) {
            this.out = out;
        }

        JsonOut beginObject() throws IOException {
            separate();
            out.write('{');
            comma = false;
            return this;
        }

        JsonOut endObject() throws IOException {
            out.write('}');
            comma = true;
            return this;
        }

        JsonOut beginArray() throws IOException {
            separate();
            out.write('[');
            comma = false;
            return this;
        }

        JsonOut endArray() throws IOException {
            out.write(']');
            comma = true;
            return this;
        }

        JsonOut name(String name) throws IOException {
            separate();
            out.write(quoted(name));
            out.write(':');
            comma = false;
            return this;
        }

        JsonOut value(Object value) throws IOException {
            separate();
            if (value == null || value instanceof Boolean || value instanceof Number) {
                out.write(String.valueOf(value));
            } else {
                out.write(quoted(value.toString()));
            }
            comma = true;
            return this;
        }

        JsonOut field(String name, Object value) throws IOException {
            return name(name).value(value);
        }

        private void separate() throws IOException {
            if (comma) {
                out.write(',');
            }
        }
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    /** Thrown to stop writing in the middle of an object (MALFORMED_JSON). */
    private static final class Cut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cut() {
            super(null, null, false, false);
        }
    }

    private static String iso(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex(long value) {
        char[] digits = new char[16];
        for (int i = 15; i >= 0; i--) {
            digits[i] = HEX[(int) (value & 15)];
            value >>>= 4;
        }
        return new String(digits);
    }

    private static String hexBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
        }
        return hex.toString();
    }

    /** 32 lowercase hex characters, the shape of diaspora*'s own guids. */
    private static String guidOf(long id) {
        return hex(id) + hex(fmix(id ^ 0x5DEECE66DL));
    }

    private static long mix(long seed, long salt, long a, long b) {
        long h = fmix(seed ^ 0x9E3779B97F4A7C15L);
        h = fmix(h ^ (salt * 0xC2B2AE3D27D4EB4FL));
        h = fmix(h ^ (a * 0x165667B19E3779F9L));
        return fmix(h ^ (b * 0x27D4EB2F165667C5L));
    }

    /** SplitMix64's finaliser. */
    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
