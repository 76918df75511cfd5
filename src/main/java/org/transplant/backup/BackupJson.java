package org.transplant.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The client's one JSON mapper: trees only, so whatever a newer pod adds to a record is kept as it came. */
final class BackupJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private BackupJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BackupFailure(BackupFailure.Kind.FAILED, what + " is not JSON: " + e.getOriginalMessage());
        }
    }

    static JsonNode parse(byte[] bytes, String what) {
        try {
            return MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new BackupFailure(BackupFailure.Kind.FAILED, what + " is not JSON");
        }
    }

    /** One line of NDJSON: compact, no line breaks inside. */
    static String line(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text field, or null when it is absent or not text. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
