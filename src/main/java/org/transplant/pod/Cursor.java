package org.transplant.pod;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.transplant.web.ProblemException;

/**
 * An opaque keyset position (created time, guid): the next page starts strictly after it, so deep pages cost what
 * the first one costs. Clients pass it back unchanged; a tampered one is a 400.
 */
public record Cursor(Instant createdAt, String guid) {

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + ":" + guid).getBytes(StandardCharsets.UTF_8));
    }

    /** Null for a null or empty text (the first page). */
    public static Cursor decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            String guid = raw.substring(colon + 1);
            if (!Guids.isValid(guid)) {
                throw new IllegalArgumentException();
            }
            Instant createdAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            if (!StorableTime.holds(createdAt)) {
                throw new IllegalArgumentException();
            }
            return new Cursor(createdAt, guid);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("invalid-cursor", "The cursor is not one this pod handed out");
        }
    }

    /** Checks a page size against its bounds, with a 400 outside them. */
    public static int limit(Integer requested, int fallback, int max) {
        if (requested == null) {
            return fallback;
        }
        if (requested < 1 || requested > max) {
            throw ProblemException.badRequest("invalid-limit", "limit must be between 1 and " + max);
        }
        return requested;
    }
}
