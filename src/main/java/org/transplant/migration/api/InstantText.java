package org.transplant.migration.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * An instant as RFC 3339 text in UTC, exactly as {@link DateTimeFormatter#ISO_INSTANT} writes it
 * (fraction in groups of three digits, none when zero), without the formatter's cost: an export writes a million.
 */
public final class InstantText {

    private InstantText() {}

    /** Writes the instant into {@code out} (at least 30 chars) and returns the length. */
    public static int write(Instant instant, char[] out) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Days to a civil date (Howard Hinnant's algorithm), with no date objects made.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            String text = instant.toString();
            text.getChars(0, text.length(), out, 0);
            return text.length();
        }
        int i = digits((int) year, 4, out, 0);
        out[i++] = '-';
        i = digits(month, 2, out, i);
        out[i++] = '-';
        i = digits(day, 2, out, i);
        out[i++] = 'T';
        i = digits(secondOfDay / 3600, 2, out, i);
        out[i++] = ':';
        i = digits(secondOfDay / 60 % 60, 2, out, i);
        out[i++] = ':';
        i = digits(secondOfDay % 60, 2, out, i);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out[i++] = '.';
            if (nanos % 1_000_000 == 0) {
                i = digits(nanos / 1_000_000, 3, out, i);
            } else if (nanos % 1000 == 0) {
                i = digits(nanos / 1000, 6, out, i);
            } else {
                i = digits(nanos, 9, out, i);
            }
        }
        out[i++] = 'Z';
        return i;
    }

    public static String of(Instant instant) {
        char[] out = new char[40];
        return new String(out, 0, write(instant, out));
    }

    private static int digits(int value, int width, char[] out, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
