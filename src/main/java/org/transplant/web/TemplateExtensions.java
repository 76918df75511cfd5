package org.transplant.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Small formatting for page templates. */
@TemplateExtension
public final class TemplateExtensions {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneOffset.UTC);

    private TemplateExtensions() {}

    /** {@code {instant.day}}: e.g. "23 Nov 2026", in UTC. */
    static String day(Instant instant) {
        return DAY.format(instant);
    }
}
