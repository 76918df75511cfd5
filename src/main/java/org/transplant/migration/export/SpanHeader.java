package org.transplant.migration.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Backup-Span: from=2024-06-01T00:00:00Z; until=2024-06-30T23:59:59.999999Z}: the span a token is limited
 * to, on every Migration API response to it, so a client sees that its {@code since}/{@code until} were clamped. An
 * open end is left out; a token without a span gets no header.
 */
public final class SpanHeader {

    public static final String NAME = "Backup-Span";

    private SpanHeader() {}

    /** The header's value, or null when the token has no span. */
    public static String value(Instant from, Instant until) {
        List<String> ends = new ArrayList<>(2);
        if (from != null) {
            ends.add("from=" + from);
        }
        if (until != null) {
            ends.add("until=" + until);
        }
        return ends.isEmpty() ? null : String.join("; ", ends);
    }
}
