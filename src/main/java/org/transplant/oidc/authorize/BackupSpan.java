package org.transplant.oidc.authorize;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.transplant.pod.StorableTime;

/**
 * The time span a person may limit a {@code backup:read} consent to, from the consent page's two date inputs
 * (YYYY-MM-DD, read as UTC days). Either end may be open; {@code until} covers its whole day.
 */
public record BackupSpan(Instant from, Instant until) {

    public static final BackupSpan ALL_TIME = new BackupSpan(null, null);

    /** A date the person typed that cannot be used; the consent page shows the message. */
    public static class InvalidSpan extends RuntimeException {
        InvalidSpan(String message) {
            super(message, null, false, false);
        }
    }

    public static BackupSpan parse(String from, String until) {
        LocalDate fromDay = day(from, "start");
        LocalDate untilDay = day(until, "end");
        if (fromDay != null && untilDay != null && fromDay.isAfter(untilDay)) {
            throw new InvalidSpan("The start of the time span must not be after its end");
        }
        return new BackupSpan(
                fromDay == null ? null : fromDay.atStartOfDay(ZoneOffset.UTC).toInstant(),
                // The last microsecond of the day: PostgreSQL keeps microseconds, so nothing of that day is lost.
                untilDay == null
                        ? null
                        : untilDay.plusDays(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .minus(1, ChronoUnit.MICROS));
    }

    /**
     * The span an app proposes ({@code backup_from}, {@code backup_until}), under the same rules as what the person
     * types; null when it proposes none or one that cannot be used. An unusable proposal is dropped whole, never an
     * error: half of it would be a span the app did not mean.
     */
    public static BackupSpan proposal(String from, String until) {
        if (blank(from) && blank(until)) {
            return null;
        }
        try {
            return parse(from, until);
        } catch (InvalidSpan e) {
            return null;
        }
    }

    /** The first day, as the consent page's date input shows it; null when open. */
    public LocalDate fromDay() {
        return from == null ? null : LocalDate.ofInstant(from, ZoneOffset.UTC);
    }

    /** The last day (the one {@code until} ends); null when open. */
    public LocalDate untilDay() {
        return until == null ? null : LocalDate.ofInstant(until, ZoneOffset.UTC);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static LocalDate day(String value, String which) {
        if (blank(value)) {
            return null;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidSpan("The " + which + " of the time span is not a date (YYYY-MM-DD)");
        }
        if (!StorableTime.holds(day)) {
            throw new InvalidSpan("The " + which + " of the time span must be in the years 1 to 9999");
        }
        return day;
    }
}
