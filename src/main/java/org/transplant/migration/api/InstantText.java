package org.transplant.migration.api;

import java.time.Instant;
import java.time.Month;
import java.time.Year;
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

    /**
     * Reads the common shape {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} by hand, an importer reads one a row; anything
     * else (a leap second, another offset, a lowercase letter, an impossible date) goes to {@link Instant#parse}, so
     * what is accepted and refused stays exactly what it accepts and refuses.
     */
    public static Instant parse(String text) {
        Instant fast = parseCommonShape(text);
        return fast != null ? fast : Instant.parse(text);
    }

    private static Instant parseCommonShape(String t) {
        int n = t.length();
        if (n < 20
                || n > 30
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = number(t, 0, 4), month = number(t, 5, 2), day = number(t, 8, 2);
        int hour = number(t, 11, 2), minute = number(t, 14, 2), second = number(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int digits = n - 21;
            if (t.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = number(t, 20, digits);
            if (fraction < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                fraction *= 10;
            }
            nanos = fraction;
        }
        // Days from the civil date (Howard Hinnant's algorithm), the inverse of write's.
        int y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long days = era * 146_097 + dayOfEra - 719_468;
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code t} from {@code at}, {@code width} ASCII digits, or -1. */
    private static int number(String t, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
