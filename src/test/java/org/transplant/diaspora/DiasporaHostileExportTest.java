package org.transplant.diaspora;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * Exports made to abuse the import (attacker review 8): a genuine signature over a text of the export's choosing, one
 * photo file named by many photos, a cut photo file, an entity larger than any diaspora* writes.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DiasporaHostileExportTest {

    static final String POST = "598c0060462c01321bfc1def1d83d893";

    @Inject
    Pool pool;

    @Test
    void aSignatureThatDoesNotCoverTheTextProvesNothingOfIt() throws Exception {
        KeyPairs.PemKeyPair eve = KeyPairs.generate(2048, new SecureRandom());
        String guid = "uncoveredcomment0000001";
        Path export = DiasporaExports.changed(d -> {
            ObjectNode comment = evesComment(d, eve, guid);
            ObjectNode data = (ObjectNode) comment.get("entity_data");
            data.put("text", "Words eve never signed").put("x", "a string eve once signed");
            // The signature is genuine, over "x" alone: the order the export chose leaves the text out.
            comment.putArray("property_order").add(TextNode.valueOf("x"));
            data.put(
                    "author_signature",
                    RelayableSignature.sign("a string eve once signed", KeyPairs.parsePrivateKey(eve.privateKeyPem())));
        });
        String job = DiasporaExports.done(pool, DiasporaExampleImportTest.start(export, "dia_uncovered"));
        assertThat(rows("SELECT count(*) FROM comments WHERE guid = '" + guid + "'"))
                .containsExactly("0");
        assertThat(rows("SELECT reason FROM import_left_out WHERE job_id = '" + job + "' AND item_key = '" + guid
                        + "'"))
                .containsExactly(
                        "its signature names 'x', which a comment does not have, so its signature proves nothing"
                                + " of it");
    }

    @Test
    void aSignedTextCannotBeCutShortIntoAnotherSignedField() throws Exception {
        KeyPairs.PemKeyPair eve = KeyPairs.generate(2048, new SecureRandom());
        String guid = "shiftedcomment000000001";
        Path export = DiasporaExports.changed(d -> {
            ObjectNode comment = evesComment(d, eve, guid);
            ObjectNode data = (ObjectNode) comment.get("entity_data");
            // Eve signed "I back A; not B" as her text; the export moves "; not B" into created_at.
            data.put("text", "I back A").put("created_at", " not B");
            List<String> order = List.of("author", "guid", "parent_guid", "text", "created_at");
            comment.putArray("property_order")
                    .addAll(order.stream().map(TextNode::valueOf).toList());
            String signed = "eve@gone.invalid;" + guid + ";" + POST + ";I back A; not B";
            data.put(
                    "author_signature", RelayableSignature.sign(signed, KeyPairs.parsePrivateKey(eve.privateKeyPem())));
        });
        String job = DiasporaExports.done(pool, DiasporaExampleImportTest.start(export, "dia_shifted"));
        assertThat(rows("SELECT count(*) FROM comments WHERE guid = '" + guid + "'"))
                .containsExactly("0");
        assertThat(rows("SELECT reason FROM import_left_out WHERE job_id = '" + job + "' AND item_key = '" + guid
                        + "'"))
                .containsExactly("its signed created_at is no time, so its signature proves nothing of it");
    }

    @Test
    void onePhotoFileNamedByManyPhotosIsReadOnceAndACutOneIsReported() throws Exception {
        byte[] png = image();
        Path export = DiasporaExports.changed(d -> {
            for (var post : d.at("/user/posts")) {
                for (var photo : post.at("/entity_data/photos")) {
                    ((ObjectNode) photo.get("entity_data")).put("remote_photo_name", "shared.png");
                }
            }
        });
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("shared.png"));
            out.write(png);
        }
        Path photos = Files.createTempFile("photos-", ".zip");
        Files.write(photos, zip.toByteArray());
        String job = DiasporaExports.done(
                pool,
                given().multiPart("archive", export.toFile(), "application/gzip")
                        .multiPart("photos", photos.toFile(), "application/zip")
                        .multiPart("username", "dia_shared")
                        .multiPart("email", "dia_shared@example.org")
                        .multiPart("password", PodClient.PASSWORD)
                        .post("/api/v1/imports"));
        assertThat(rows("SELECT count(*) FROM import_left_out WHERE job_id = '" + job + "' AND reason = 'its file in"
                        + " the photos zip is another photo''s too'"))
                .containsExactly("6");

        // A photos zip whose one file is cut short: reported, not a 500.
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(big)) {
            out.putNextEntry(new ZipEntry("shared.png"));
            out.write(new byte[200_000]);
        }
        // The central directory stays readable; the file's compressed bytes are garbage.
        byte[] damaged = big.toByteArray();
        for (int i = 60; i < Math.min(damaged.length - 200, 400); i++) {
            damaged[i] = (byte) 0xff;
        }
        Files.write(photos, damaged);
        DiasporaExampleImportTest.freeTheExample(pool);
        String second = DiasporaExports.done(
                pool,
                given().multiPart("archive", export.toFile(), "application/gzip")
                        .multiPart("photos", photos.toFile(), "application/zip")
                        .multiPart("username", "dia_cut")
                        .multiPart("email", "dia_cut@example.org")
                        .multiPart("password", PodClient.PASSWORD)
                        .post("/api/v1/imports"));
        assertThat(rows("SELECT count(*) FROM import_left_out WHERE job_id = '" + second + "' AND reason = 'its file"
                        + " in the photos zip is damaged'"))
                .containsExactly("1");
    }

    @Test
    void anEntityLongerThanDiasporaWritesIsRefused() throws Exception {
        Path export = DiasporaExports.changed(d -> {
            ObjectNode post = (ObjectNode) d.at("/user/posts").get(0).get("entity_data");
            for (int i = 0; i < 6; i++) {
                post.put("padding" + i, "x".repeat(1_000_000));
            }
        });
        DiasporaExampleImportTest.start(export, "dia_long")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/diaspora-too-large"));
        assertThat(rows("SELECT count(*) FROM accounts WHERE username = 'dia_long'"))
                .containsExactly("0");
    }

    /** A comment of eve's (a contact whose pod is gone, her key in the export) on the example's first post. */
    private static ObjectNode evesComment(ObjectNode d, KeyPairs.PemKeyPair eve, String guid) {
        ObjectNode contact = DiasporaExports.user(d).withArray("contacts").addObject();
        contact.put("sharing", true)
                .put("receiving", true)
                .put("following", true)
                .put("followed", true);
        contact.put("account_id", "eve@gone.invalid").put("public_key", eve.publicKeyPem());
        contact.putArray("contact_groups_membership");
        ObjectNode comment = ((ArrayNode) d.at("/others_data/relayables")).addObject();
        comment.put("entity_type", "comment");
        comment.putObject("entity_data")
                .put("author", "eve@gone.invalid")
                .put("guid", guid)
                .put("parent_guid", POST);
        return comment;
    }

    private static byte[] image() throws Exception {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
