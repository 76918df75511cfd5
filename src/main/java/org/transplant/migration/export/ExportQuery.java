package org.transplant.migration.export;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.transplant.pod.StorableTime;
import org.transplant.web.ProblemException;

/**
 * The parameters every collection takes, checked: {@code limit} (1 to 1000), {@code cursor}, {@code since} and
 * {@code until} (created time, ISO-8601 instant or date, both inclusive), {@code snapshot} (a change sequence from
 * {@code /account}) and {@code changedAfter} (a delta: only what changed after that sequence). Unknown parameters
 * are ignored; malformed ones are a 400.
 */
public record ExportQuery(
        int limit, ExportCursor cursor, Instant since, Instant until, Long snapshot, Long changedAfter) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static ExportQuery parse(
            String collection,
            String limit,
            String cursor,
            String since,
            String until,
            String snapshot,
            String changedAfter) {
        ExportCursor decoded = cursor == null || cursor.isEmpty() ? null : ExportCursor.decode(collection, cursor);
        Instant from = time("since", since, false);
        Instant to = time("until", until, true);
        if (from != null && to != null && from.isAfter(to)) {
            throw ProblemException.badRequest("invalid-parameter", "since must not be after until");
        }
        return new ExportQuery(
                limit(limit),
                decoded,
                from,
                to,
                sequence("snapshot", snapshot),
                sequence("changedAfter", changedAfter));
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw ProblemException.badRequest("invalid-limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static Long sequence(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw ProblemException.badRequest("invalid-parameter", name + " must be a change sequence number (>= 0)");
    }

    /** An instant, or a date meaning its first (since) or last (until) moment, UTC. */
    private static Instant time(String name, String text, boolean endOfDay) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Instant instant;
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                instant = endOfDay
                        ? day.plusDays(1)
                                .atStartOfDay()
                                .toInstant(ZoneOffset.UTC)
                                .minusNanos(1000)
                        : day.atStartOfDay().toInstant(ZoneOffset.UTC);
            } else {
                instant = Instant.parse(text);
            }
            if (!StorableTime.holds(instant)) {
                throw ProblemException.badRequest("invalid-time", name + " must be a time in the years 1 to 9999");
            }
            return instant;
        } catch (DateTimeException e) {
            throw ProblemException.badRequest(
                    "invalid-time", name + " must be an ISO-8601 instant (2024-05-01T12:00:00Z) or date (2024-05-01)");
        }
    }
}
