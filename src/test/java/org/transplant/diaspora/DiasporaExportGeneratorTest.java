package org.transplant.diaspora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transplant.diaspora.DiasporaExportGenerator.Broken;
import org.transplant.diaspora.DiasporaExportGenerator.Container;
import org.transplant.diaspora.DiasporaExportGenerator.Flavour;
import org.transplant.diaspora.DiasporaExportGenerator.Generated;
import org.transplant.diaspora.DiasporaExportGenerator.Options;
import org.transplant.diaspora.DiasporaExportGenerator.Problem;

/** The generator writes what diaspora* writes: schema-valid exports whose signatures hold, and an honest manifest. */
class DiasporaExportGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARCHIVE_SCHEMA = "https://diaspora.github.io/diaspora/schemas/archive_format.json";
    private static final String ENTITIES_SCHEMA =
            "https://diaspora.github.io/diaspora_federation/schemas/federation_entities.json";

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void generatedExportsFollowTheArchiveSchema(Flavour flavour, @TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(small(dir, flavour)
                .problems(
                        Problem.RESHARE_WITHOUT_ROOT, Problem.RELAYABLE_WITHOUT_PARENT, Problem.POLL, Problem.LOCATION)
                .build());

        assertThat(archiveSchema().validate(read(generated))).isEmpty();
    }

    @Test
    void aContactWithoutAccountIdBreaksOnlyTheSchemasRequiredRule(@TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(small(dir, Flavour.V09)
                .problems(Problem.CONTACT_WITHOUT_ACCOUNT_ID)
                .build());

        Set<ValidationMessage> errors = archiveSchema().validate(read(generated));

        assertThat(errors).hasSize(1);
        assertThat(errors.iterator().next().getMessage()).contains("account_id");
        assertThat(generated.manifest().leftOut())
                .extracting(DiasporaExportGenerator.LeftOut::reason)
                .containsExactly("no-account-id", "own-on-foreign", "own-on-foreign", "own-on-foreign", "comment-like");
    }

    @Test
    void theSchemaReachesIntoTheFederationEntities(@TempDir Path dir) throws IOException {
        JsonNode export =
                read(DiasporaExportGenerator.generate(small(dir, Flavour.V09).build()));
        ObjectNode comment = (ObjectNode) export.at("/others_data/relayables/0/entity_data");
        comment.remove("text");
        comment.remove("parent_type");

        assertThat(archiveSchema().validate(export)).isNotEmpty();
    }

    @Test
    void theAnchorExampleFollowsTheArchiveSchema() throws IOException {
        JsonNode example;
        try (InputStream in = new GZIPInputStream(
                getClass().getClassLoader().getResourceAsStream("diaspora/diaspora_ana_data_example.json.gz"))) {
            example = JSON.readTree(in);
        }

        assertThat(archiveSchema().validate(example)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyOthersRelayableVerifiesButTheForgedOnes(Flavour flavour, @TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(small(dir, flavour)
                .forged(3)
                .problems(Problem.POLL, Problem.RELAYABLE_WITHOUT_PARENT)
                .build());
        JsonNode export = read(generated);
        Map<String, PublicKey> keys = new HashMap<>();
        generated.authorPublicKeys().forEach((handle, pem) -> keys.put(handle, DiasporaKeys.publicKey(pem)));
        Set<String> forged = new HashSet<>(generated.manifest().forged());

        List<String> verified = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (JsonNode relayable : export.at("/others_data/relayables")) {
            JsonNode data = relayable.get("entity_data");
            List<String> order = new ArrayList<>();
            relayable.get("property_order").forEach(name -> order.add(name.textValue()));
            boolean valid = RelayableSignature.verify(
                    RelayableSignature.signedText(data, order),
                    data.get("author_signature").textValue(),
                    keys.get(data.get("author").textValue()));
            (valid ? verified : refused).add(data.get("guid").textValue());
        }

        assertThat(refused).containsExactlyInAnyOrderElementsOf(forged).hasSize(3);
        assertThat(verified).hasSizeGreaterThan(50);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theManifestSaysWhatTheFileHolds(Flavour flavour, @TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(
                small(dir, flavour).forged(2).problems(Problem.values()).build());
        JsonNode user = read(generated).get("user");
        Set<String> leftOut = new HashSet<>();
        generated.manifest().leftOut().forEach(item -> leftOut.add(item.id()));

        List<String> posts = new ArrayList<>();
        List<String> photos = new ArrayList<>();
        for (JsonNode post : user.get("posts")) {
            JsonNode data = post.get("entity_data");
            if (!post.get("entity_type").textValue().equals("reshare") || data.has("root_guid")) {
                posts.add(data.get("guid").textValue());
            }
            data.path("photos")
                    .forEach(photo -> photos.add(photo.at("/entity_data/guid").textValue()));
        }
        List<String> contacts = new ArrayList<>();
        user.get("contacts").forEach(contact -> {
            if (contact.has("account_id")) {
                contacts.add(contact.get("account_id").textValue());
            }
        });

        Map<String, DiasporaExportGenerator.Digest> collections =
                generated.manifest().collections();
        assertThat(collections.get("posts")).isEqualTo(digest(posts));
        assertThat(collections.get("photos")).isEqualTo(digest(photos));
        assertThat(collections.get("contacts")).isEqualTo(digest(contacts));
        assertThat(collections.get("blocks").count()).isEqualTo(flavour == Flavour.V09 ? 2 : 0);
        assertThat(collections.get("comments").count()
                        + collections.get("likes").count())
                .isEqualTo(user.get("relayables").size()
                        + read(generated).at("/others_data/relayables").size()
                        - leftOutRelayables(generated));
        assertThat(leftOut).containsAll(generated.manifest().forged());
        assertThat(generated.manifest().leftOut())
                .extracting(DiasporaExportGenerator.LeftOut::reason)
                .contains("forged", "no-parent", "no-root", "poll", "location", "no-account-id", "own-on-foreign");
    }

    @Test
    void thePhotosZipHoldsEachPhotoByItsRemoteName(@TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(
                small(dir, Flavour.V09).photos(5).build());
        JsonNode export = read(generated);

        int photos = 0;
        try (ZipFile zip = new ZipFile(generated.photosZip().toFile())) {
            for (JsonNode post : export.at("/user/posts")) {
                for (JsonNode photo : post.at("/entity_data/photos")) {
                    JsonNode data = photo.get("entity_data");
                    var entry = zip.getEntry(data.get("remote_photo_name").textValue());
                    var image = ImageIO.read(zip.getInputStream(entry));
                    assertThat(image.getWidth()).isEqualTo(data.get("width").intValue());
                    assertThat(image.getHeight()).isEqualTo(data.get("height").intValue());
                    photos++;
                }
            }
            assertThat(zip.size()).isEqualTo(photos);
        }
        assertThat(photos)
                .isEqualTo(5)
                .isEqualTo(generated.manifest().collections().get("photos").count());
    }

    @Test
    void theOwnersKeyIsExportedAsPkcs1(@TempDir Path dir) throws IOException {
        Generated generated =
                DiasporaExportGenerator.generate(small(dir, Flavour.V09).build());
        String pem = read(generated).at("/user/private_key").textValue();

        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
        assertThat(DiasporaKeys.publicOf(DiasporaKeys.privateKey(pem)).getEncoded())
                .isEqualTo(DiasporaKeys.publicKey(generated.ownerPublicKeyPem()).getEncoded());
    }

    @Test
    void oneSeedGivesTheSameBytes(@TempDir Path dir) throws IOException {
        Generated first = DiasporaExportGenerator.generate(
                small(dir.resolve("a"), Flavour.V09).photos(3).build());
        Generated second = DiasporaExportGenerator.generate(
                small(dir.resolve("b"), Flavour.V09).photos(3).build());
        Generated other = DiasporaExportGenerator.generate(
                small(dir.resolve("c"), Flavour.V09).photos(3).seed(2).build());

        assertThat(Files.mismatch(first.dataFile(), second.dataFile())).isEqualTo(-1);
        assertThat(Files.mismatch(first.photosZip(), second.photosZip())).isEqualTo(-1);
        assertThat(first.manifest()).isEqualTo(second.manifest());
        assertThat(Files.readAllBytes(other.dataFile())).isNotEqualTo(Files.readAllBytes(first.dataFile()));
    }

    @Test
    void eachBrokenKindIsBrokenTheWayItSays(@TempDir Path dir) throws IOException {
        assertThat(read(broken(dir, Broken.MISSING_VERSION)).has("version")).isFalse();
        assertThat(read(broken(dir, Broken.WRONG_VERSION)).get("version").textValue())
                .isEqualTo("1.0");
        assertThat(read(broken(dir, Broken.MISSING_USER)).has("user")).isFalse();
        assertThat(read(broken(dir, Broken.MISSING_PROFILE)).get("user").has("profile"))
                .isFalse();
        assertThat(read(broken(dir, Broken.MISSING_PRIVATE_KEY)).get("user").has("private_key"))
                .isFalse();
        String unparsable = read(broken(dir, Broken.UNPARSABLE_PRIVATE_KEY))
                .at("/user/private_key")
                .textValue();
        assertThatThrownBy(() -> DiasporaKeys.privateKey(unparsable)).isInstanceOf(IllegalArgumentException.class);
        Generated malformed = broken(dir, Broken.MALFORMED_JSON);
        assertThatThrownBy(() -> read(malformed)).isInstanceOf(JsonProcessingException.class);
        Generated truncated = broken(dir, Broken.TRUNCATED_GZIP);
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(EOFException.class);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void eachContainerHoldsTheSameDocument(Container container, @TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(
                small(dir, Flavour.V07).container(container).build());

        assertThat(generated.dataFile().getFileName().toString())
                .matches("diaspora_ana_data_[0-9a-f]{20}\\.(json\\.gz|json|zip)");
        assertThat(read(generated).at("/user/profile/entity_data/author").textValue())
                .isEqualTo("ana@oldpod.example");
    }

    @Test
    void aLargeExportIsWrittenToDisk(@TempDir Path dir) throws IOException {
        Generated generated = DiasporaExportGenerator.generate(Options.builder(dir)
                .posts(20_000)
                .commentsPerPost(0.05)
                .likesPerPost(0.05)
                .container(Container.PLAIN)
                .build());

        assertThat(Files.size(generated.dataFile())).isGreaterThan(8_000_000);
        assertThat(generated.manifest().collections().get("posts").count()).isEqualTo(20_000);
    }

    private static Options.Builder small(Path dir, Flavour flavour) {
        return Options.builder(dir).flavour(flavour).posts(12).photos(2);
    }

    private static Generated broken(Path dir, Broken kind) throws IOException {
        return DiasporaExportGenerator.generate(
                Options.builder(dir.resolve(kind.name())).posts(6).broken(kind).build());
    }

    private static int leftOutRelayables(Generated generated) {
        Set<String> notRelayables = Set.of("no-root", "location", "no-account-id");
        return (int) generated.manifest().leftOut().stream()
                .filter(item -> !notRelayables.contains(item.reason()))
                .filter(item -> !(item.reason().equals("poll") && isPollItself(generated, item.id())))
                .count();
    }

    private static boolean isPollItself(Generated generated, String id) {
        try {
            for (JsonNode post : read(generated).at("/user/posts")) {
                if (id.equals(post.at("/entity_data/poll/entity_data/guid").textValue())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DiasporaExportGenerator.Digest digest(List<String> ids) throws IOException {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
            return new DiasporaExportGenerator.Digest(
                    sorted.size(), HexFormat.of().formatHex(hash));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Generated generated) throws IOException {
        Path file = generated.dataFile();
        String name = file.getFileName().toString();
        if (name.endsWith(".zip")) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                var entry = zip.entries().nextElement();
                return JSON.readTree(zip.getInputStream(entry));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        try (InputStream in = name.endsWith(".gz")
                ? new GZIPInputStream(new ByteArrayInputStream(bytes))
                : new ByteArrayInputStream(bytes)) {
            return JSON.readTree(in);
        }
    }

    /** diaspora*'s archive schema, its $ref to the federation entities served from the test resources. */
    private static JsonSchema archiveSchema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V4,
                builder -> builder.schemaMappers(mappers -> mappers.mappings(Map.of(
                        ARCHIVE_SCHEMA, "classpath:diaspora/schemas/archive-format.json",
                        ENTITIES_SCHEMA, "classpath:diaspora/schemas/federation_entities.json"))));
        return factory.getSchema(SchemaLocation.of(ARCHIVE_SCHEMA));
    }
}
