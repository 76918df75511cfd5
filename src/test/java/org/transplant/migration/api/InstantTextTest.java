package org.transplant.migration.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatIsoInstantWrites() {
        SplittableRandom random = new SplittableRandom(7);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2400-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(from, to), nanos);
            assertThat(InstantText.of(instant)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
    }

    @Test
    void edgesOfDaysYearsAndLeapDays() {
        for (String text : new String[] {
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "2000-02-29T12:00:00.5Z",
            "2100-03-01T00:00:00Z",
            "1900-02-28T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z",
            "+10000-01-01T00:00:00Z",
            "-0001-06-01T00:00:00Z"
        }) {
            Instant instant = Instant.parse(text);
            assertThat(InstantText.of(instant)).as(text).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
    }

    @Test
    void readsWhatInstantParseReads() {
        SplittableRandom random = new SplittableRandom(11);
        long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant =
                    Instant.ofEpochSecond(random.nextLong(from, to), i % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = InstantText.of(instant);
            assertThat(InstantText.parse(text)).as(text).isEqualTo(instant);
            // Fractions of every width, not only the groups of three the writer makes.
            String trimmed = text.length() > 21 ? text.substring(0, text.length() - 2) + "Z" : text;
            assertThat(InstantText.parse(trimmed)).as(trimmed).isEqualTo(Instant.parse(trimmed));
        }
    }

    @Test
    void acceptsAndRefusesExactlyWhatInstantParseDoes() {
        for (String text : new String[] {
            "2024-02-29T10:00:00Z",
            "2023-02-29T10:00:00Z",
            "2100-02-29T10:00:00Z",
            "2000-02-29T10:00:00Z",
            "2024-04-31T10:00:00Z",
            "2024-13-01T10:00:00Z",
            "2024-00-01T10:00:00Z",
            "2024-01-00T10:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-01-01T10:00:00.Z",
            "2024-01-01T10:00:00.1234567890Z",
            "2024-01-01t10:00:00z",
            "2024-01-01T10:00:00+01:00",
            "2024-01-01T10:00Z",
            "2024-1-01T10:00:00Z",
            "2024-01-01T10:00:00.12a4Z",
            "2024-01-01T10:00:00",
            "+12024-01-01T10:00:00Z",
            "２０２４-01-01T10:00:00Z",
            ""
        }) {
            Object expected = outcome(() -> Instant.parse(text));
            assertThat(outcome(() -> InstantText.parse(text))).as(text).isEqualTo(expected);
        }
    }

    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (java.time.format.DateTimeParseException e) {
            return "refused";
        }
    }
}
