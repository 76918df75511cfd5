package org.transplant.pod;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The times the pod stores and writes: years 1 to 9999, as RFC 3339 and PostgreSQL both hold them. A time outside
 * (a year 999999999 span, a forged cursor) is nonsense input and answered with a 400, never handed to the database.
 */
public final class StorableTime {

    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private StorableTime() {}

    public static boolean holds(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    public static boolean holds(LocalDate day) {
        return day.getYear() >= 1 && day.getYear() <= 9999;
    }
}
