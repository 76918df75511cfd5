package org.transplant.diaspora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.KeyPairs;

/**
 * diaspora_federation's relayable signature rule, proven on the anchor example: a real-shaped export whose 187
 * signatures were made by diaspora*'s rule, in current, legacy and Friendica property orders.
 */
class RelayableSignatureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode export;
    private static JsonNode manifest;
    private static Map<String, PublicKey> keys;

    @BeforeAll
    static void readExample() throws IOException {
        try (InputStream in = new GZIPInputStream(resource("diaspora/diaspora_ana_data_example.json.gz"))) {
            export = JSON.readTree(in);
        }
        try (InputStream in = resource("diaspora/diaspora_ana_data_example.manifest.json")) {
            manifest = JSON.readTree(in);
        }
        // The export's contact keys first; the manifest's keys stand for the hCards of everyone else.
        keys = new HashMap<>();
        for (JsonNode person : manifest.get("people")) {
            if (person.hasNonNull("public_key")) {
                keys.put(
                        person.get("handle").textValue(),
                        DiasporaKeys.publicKey(person.get("public_key").textValue()));
            }
        }
        for (JsonNode contact : export.at("/user/contacts")) {
            if (contact.hasNonNull("public_key")) {
                keys.put(
                        contact.get("account_id").textValue(),
                        DiasporaKeys.publicKey(contact.get("public_key").textValue()));
            }
        }
    }

    @Test
    void everySignatureOfTheExampleVerifiesInItsPropertyOrder() {
        List<JsonNode> relayables = othersRelayables();

        long verified = relayables.stream()
                .filter(relayable -> verify(relayable, propertyOrder(relayable)))
                .count();

        assertThat(relayables).hasSize(187);
        assertThat(verified).isEqualTo(187);
    }

    @Test
    void theJsonKeyOrderFailsExactlyTheLegacyAndFriendicaSignatures() {
        long failed = othersRelayables().stream()
                .filter(relayable -> !verify(relayable, fieldNames(relayable.get("entity_data"))))
                .count();

        assertThat(failed)
                .isEqualTo(manifest.at("/counts/legacy_order").asLong()
                        + manifest.at("/counts/friendica_order").asLong())
                .isEqualTo(43);
    }

    @Test
    void aCommentWithOneCharacterAppendedFails() {
        JsonNode comment = othersRelayables().stream()
                .filter(relayable -> relayable.get("entity_type").textValue().equals("comment"))
                .findFirst()
                .orElseThrow();
        ObjectNode altered = comment.get("entity_data").deepCopy();
        altered.put("text", altered.get("text").textValue() + "x");

        assertThat(verify(comment, propertyOrder(comment))).isTrue();
        assertThat(RelayableSignature.verify(
                        RelayableSignature.signedText(altered, propertyOrder(comment)),
                        altered.get("author_signature").textValue(),
                        keys.get(altered.get("author").textValue())))
                .isFalse();
    }

    @Test
    void anEmptyOrUnreadableSignatureFails() {
        JsonNode like = othersRelayables().get(2);
        String text = RelayableSignature.signedText(like.get("entity_data"), propertyOrder(like));
        PublicKey key = keys.get(like.at("/entity_data/author").textValue());

        assertThat(RelayableSignature.verify(text, "", key)).isFalse();
        assertThat(RelayableSignature.verify(text, "   ", key)).isFalse();
        assertThat(RelayableSignature.verify(text, null, key)).isFalse();
        assertThat(RelayableSignature.verify(text, "bm90IGEgc2lnbmF0dXJl", key)).isFalse();
        assertThat(RelayableSignature.verify(text, "@@@@", key)).isFalse();
        assertThat(RelayableSignature.verify(
                        text, like.at("/entity_data/author_signature").textValue(), null))
                .isFalse();
    }

    @Test
    void aSignatureWrappedInLinesStillVerifies() {
        JsonNode comment = othersRelayables().get(0);
        String signature = comment.at("/entity_data/author_signature").textValue();
        String wrapped = signature.replaceAll("(.{60})", "$1\n");

        assertThat(RelayableSignature.verify(
                        RelayableSignature.signedText(comment.get("entity_data"), propertyOrder(comment)),
                        wrapped,
                        keys.get(comment.at("/entity_data/author").textValue())))
                .isTrue();
    }

    @Test
    void aPkcs1PublicKeyOfAnOldPodVerifiesTheSame() throws IOException {
        JsonNode comment = othersRelayables().get(0);
        PublicKey spki = keys.get(comment.at("/entity_data/author").textValue());
        byte[] rsaPublicKey = SubjectPublicKeyInfo.getInstance(spki.getEncoded())
                .parsePublicKey()
                .getEncoded();
        String pkcs1 = "-----BEGIN RSA PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(rsaPublicKey)
                + "\n-----END RSA PUBLIC KEY-----\n";

        PublicKey old = DiasporaKeys.publicKey(pkcs1);

        assertThat(old.getEncoded()).isEqualTo(spki.getEncoded());
        assertThat(RelayableSignature.verify(
                        RelayableSignature.signedText(comment.get("entity_data"), propertyOrder(comment)),
                        comment.at("/entity_data/author_signature").textValue(),
                        old))
                .isTrue();
    }

    @Test
    void theOwnersPrivateKeyIsTheKeyTheOwnersPodServes() {
        String pem = export.at("/user/private_key").textValue();

        PrivateKey owner = DiasporaKeys.privateKey(pem);
        PublicKey served =
                DiasporaKeys.publicKey(manifest.at("/owner/public_key").textValue());

        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(DiasporaKeys.publicOf(owner).getEncoded()).isEqualTo(served.getEncoded());
        assertThat(KeyPairs.samePublicKey(
                        DiasporaKeys.publicPem(DiasporaKeys.publicOf(owner)),
                        manifest.at("/owner/public_key").textValue()))
                .isTrue();
        // Stored the way the pod keeps its own keys.
        assertThat(KeyPairs.parsePrivateKey(DiasporaKeys.pkcs8Pem(owner)).getEncoded())
                .isEqualTo(owner.getEncoded());
    }

    @Test
    void signedTextFollowsTheRule() throws IOException {
        JsonNode data =
                JSON.readTree("{\"author\":\"a@b.example\",\"guid\":\"g\",\"positive\":true,\"n\":12,\"empty\":null,"
                        + "\"text\":\"x; y \\u00e9\",\"author_signature\":\"sig\"}");

        String text = RelayableSignature.signedText(
                data,
                List.of("positive", "author_signature", "text", "missing", "n", "empty", "parent_author_signature"));

        assertThat(text).isEqualTo("true;x; y é;;12;");
    }

    @Test
    void whatItSignsItVerifies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();

        String signature = RelayableSignature.sign("ünïcödé; 👋", pair.getPrivate());

        assertThat(RelayableSignature.verify("ünïcödé; 👋", signature, pair.getPublic()))
                .isTrue();
        assertThat(RelayableSignature.verify("ünïcödé; 👋 ", signature, pair.getPublic()))
                .isFalse();
    }

    @Test
    void smallAndNonRsaKeysAreRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        var small = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        var elliptic = ec.generateKeyPair();

        assertThatThrownBy(() -> DiasporaKeys.publicKey(DiasporaKeys.publicPem(small.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> DiasporaKeys.privateKey(DiasporaKeys.pkcs8Pem(small.getPrivate())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> DiasporaKeys.publicKey(DiasporaKeys.publicPem(elliptic.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RSA key");
        assertThatThrownBy(() -> DiasporaKeys.privateKey(DiasporaKeys.pkcs8Pem(elliptic.getPrivate())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RSA key");
        assertThatThrownBy(() -> DiasporaKeys.privateKey(
                        "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiasporaKeys.publicKey("not a key at all"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiasporaKeys.privateKey(DiasporaKeys.publicPem(small.getPublic())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean verify(JsonNode relayable, List<String> order) {
        JsonNode data = relayable.get("entity_data");
        return RelayableSignature.verify(
                RelayableSignature.signedText(data, order),
                data.get("author_signature").textValue(),
                keys.get(data.get("author").textValue()));
    }

    private static List<JsonNode> othersRelayables() {
        List<JsonNode> relayables = new ArrayList<>();
        export.at("/others_data/relayables").forEach(relayables::add);
        return relayables;
    }

    private static List<String> propertyOrder(JsonNode relayable) {
        List<String> order = new ArrayList<>();
        relayable.get("property_order").forEach(name -> order.add(name.textValue()));
        return order;
    }

    private static List<String> fieldNames(JsonNode data) {
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static InputStream resource(String name) {
        InputStream in = RelayableSignatureTest.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return in;
    }

    @Test
    void aKeyWithAHugePublicExponentIsRefused() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(new java.security.spec.RSAKeyGenParameterSpec(
                2048, java.math.BigInteger.ONE.shiftLeft(40).add(java.math.BigInteger.valueOf(15))));
        java.security.KeyPair pair = generator.generateKeyPair();
        String pem = DiasporaKeys.publicPem(pair.getPublic());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DiasporaKeys.publicKey(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exponent");
    }
}
