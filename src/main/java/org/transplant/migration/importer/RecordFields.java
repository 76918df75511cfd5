package org.transplant.migration.importer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.transplant.migration.api.InstantText;
import org.transplant.pod.Guids;
import org.transplant.pod.Handle;
import org.transplant.web.ProblemException;

/**
 * Typed reads of one record from an old pod, each checked as this pod checks what its own people write: a field of
 * the wrong type, shape or length throws {@link Invalid} naming the field, so the record is left out with a reason
 * a person can read instead of failing a write later.
 */
final class RecordFields {

    /** Earliest time a record may carry (older is a forged or broken clock); latest is a day from now. */
    private static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

    private static final Duration SKEW = Duration.ofDays(1);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Why a record cannot be taken. */
    static final class Invalid extends RuntimeException {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private final JsonObject record;

    private RecordFields(JsonObject record) {
        this.record = record;
    }

    /** A record's fields; an item that is not a JSON object at all is invalid. */
    static RecordFields of(Object item) {
        if (!(item instanceof JsonObject object)) {
            throw new Invalid("is not a JSON object");
        }
        return new RecordFields(object);
    }

    /** Whether the record carries the field at all (null counts as absent). */
    boolean has(String field) {
        return record.getValue(field) != null;
    }

    /** Whether the field is absent or is exactly {@code expected}. */
    boolean absentOr(String field, String expected) {
        Object value = record.getValue(field);
        return value == null || value.equals(expected);
    }

    String guid(String field) {
        String value = string(field, true);
        if (!Guids.isValid(value)) {
            throw new Invalid(field + " is not a guid (16 to 64 letters, digits, - or _)");
        }
        return value;
    }

    String optionalGuid(String field) {
        return record.getValue(field) == null ? null : guid(field);
    }

    /** A text of {@code min} to {@code max} characters; null (absent) is allowed when min is 0. */
    String text(String field, int min, int max) {
        String value = string(field, min > 0);
        if (value != null && (value.length() < min || value.length() > max)) {
            throw new Invalid(field + " must have " + (min > 0 ? min + " to " : "at most ") + max + " characters");
        }
        return value;
    }

    /** A handle, user@host, lower case as this pod writes handles. */
    String handle(String field) {
        return handle(field, string(field, true));
    }

    boolean bool(String field) {
        Object value = record.getValue(field);
        if (value != null && !(value instanceof Boolean)) {
            throw new Invalid(field + " must be true or false");
        }
        return Boolean.TRUE.equals(value);
    }

    /** True or false; absent is {@code whenAbsent}. */
    boolean bool(String field, boolean whenAbsent) {
        return has(field) ? bool(field) : whenAbsent;
    }

    /** A whole number from 0 to {@code max}; absent is 0. */
    long count(String field, long max) {
        Object value = record.getValue(field);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Integer || value instanceof Long)
                || ((Number) value).longValue() < 0
                || ((Number) value).longValue() > max) {
            throw new Invalid(field + " must be a whole number from 0 to " + max);
        }
        return ((Number) value).longValue();
    }

    /** An RFC 3339 time from 1990 to a day from now. */
    Instant time(String field) {
        String value = string(field, true);
        Instant at;
        try {
            at = InstantText.parse(value);
        } catch (DateTimeParseException e) {
            throw new Invalid(field + " is not a time such as 2025-01-31T12:00:00Z");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(Instant.now().plus(SKEW))) {
            throw new Invalid(field + " is not a believable time (" + value + ")");
        }
        return at;
    }

    String sha256(String field) {
        String value = string(field, true);
        if (!SHA256.matcher(value).matches()) {
            throw new Invalid(field + " is not a SHA-256 in hex");
        }
        return value;
    }

    /** A list of texts of 1 to {@code max} characters, at most {@code maxItems} of them; absent is empty. */
    List<String> texts(String field, int max, int maxItems) {
        List<String> values = new ArrayList<>();
        for (Object item : array(field, maxItems)) {
            if (!(item instanceof String text) || text.isEmpty() || text.length() > max) {
                throw new Invalid(field + " must hold texts of 1 to " + max + " characters");
            }
            values.add(text);
        }
        return values;
    }

    List<String> handles(String field, int maxItems) {
        List<String> values = new ArrayList<>();
        for (Object item : array(field, maxItems)) {
            if (!(item instanceof String text)) {
                throw new Invalid(field + " must hold handles");
            }
            values.add(handle(field, text));
        }
        return values;
    }

    /** A list (absent is empty) of at most {@code maxItems}. */
    JsonArray array(String field, int maxItems) {
        Object value = record.getValue(field);
        if (value == null) {
            return new JsonArray();
        }
        if (!(value instanceof JsonArray array)) {
            throw new Invalid(field + " must be a list");
        }
        if (array.size() > maxItems) {
            throw new Invalid(field + " holds more than " + maxItems + " items");
        }
        return array;
    }

    private String string(String field, boolean required) {
        Object value = record.getValue(field);
        if (value == null) {
            if (required) {
                throw new Invalid(field + " is missing");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw new Invalid(field + " must be a text");
        }
        return text;
    }

    private static String handle(String field, String text) {
        try {
            return Handle.parse(field, text).toString();
        } catch (ProblemException e) {
            throw new Invalid(field + " is not a handle (user@host)");
        }
    }
}
