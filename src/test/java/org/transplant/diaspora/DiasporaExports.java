package org.transplant.diaspora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The anchors' example export, changed for a test and written where an upload reads it. */
final class DiasporaExports {

    static final Path EXAMPLE = Path.of("src/test/resources/diaspora/diaspora_ana_data_example.json.gz");
    static final Path MANIFEST = Path.of("src/test/resources/diaspora/diaspora_ana_data_example.manifest.json");
    static final ObjectMapper JSON = new ObjectMapper();

    private DiasporaExports() {}

    static ObjectNode example() {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(EXAMPLE))) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example with {@code change} made, as a gzip file. */
    static Path changed(Consumer<ObjectNode> change) {
        ObjectNode document = example();
        change.accept(document);
        return gzip(document);
    }

    static Path gzip(JsonNode document) {
        try {
            Path file = Files.createTempFile("diaspora_ana_data_", ".json.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                JSON.writeValue(out, document);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example moved to another owner handle (its key stays). */
    static void ownedBy(ObjectNode document, String handle) {
        ((ObjectNode) document.get("user")).put("username", handle.substring(0, handle.indexOf('@')));
        ((ObjectNode) document.at("/user/profile/entity_data")).put("author", handle);
    }

    static ObjectNode user(ObjectNode document) {
        return (ObjectNode) document.get("user");
    }

    /** The job a start answered with (201), once it is done (failing when it fails). */
    static String done(io.vertx.mutiny.sqlclient.Pool pool, io.restassured.response.Response started) throws Exception {
        started.then().statusCode(201);
        String job = started.path("id");
        org.transplant.testing.Until.seen(
                "the import " + job + " done",
                () -> org.transplant.testing.SqlLines.of(
                                pool,
                                "SELECT state || ':' || coalesce(error, '') FROM import_jobs WHERE id = '" + job + "'")
                        .get(0),
                state -> state.startsWith("DONE"),
                state -> state.startsWith("FAILED"));
        return job;
    }

    /** The owner's public key, as the example's pod serves it. */
    static String ownerKey() {
        try {
            return JSON.readTree(MANIFEST.toFile()).at("/owner/public_key").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
