package org.transplant.migration.export;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.transplant.pod.StorableTime;
import org.transplant.web.ProblemException;

/**
 * Where the next page of a collection starts: the collection, the snapshot (change sequence and its time) every page
 * of one export is consistent with, and the keyset position (created time, key) of the last item handed out. Opaque
 * to clients; one from another collection, or tampered, is a 400.
 */
public record ExportCursor(String collection, long snapshot, Instant snapshotAt, Instant createdAt, String key) {

    private static final String VERSION = "c1";

    public String encode() {
        String raw = String.join(
                "|",
                VERSION,
                collection,
                Long.toString(snapshot),
                snapshotAt == null ? "" : Long.toString(micros(snapshotAt)),
                Long.toString(micros(createdAt)),
                key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static ExportCursor decode(String collection, String text) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", 6);
            if (parts.length != 6 || !VERSION.equals(parts[0]) || !collection.equals(parts[1])) {
                throw new IllegalArgumentException();
            }
            return new ExportCursor(
                    collection,
                    Long.parseLong(parts[2]),
                    parts[3].isEmpty() ? null : instant(Long.parseLong(parts[3])),
                    instant(Long.parseLong(parts[4])),
                    parts[5]);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest(
                    "invalid-cursor",
                    "The cursor is not one this pod handed out for the " + collection + " collection");
        }
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(long micros) {
        Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        if (!StorableTime.holds(instant)) {
            throw new IllegalArgumentException("out of range");
        }
        return instant;
    }
}
