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

    /** {@code {bytes.readable}}: a size as people read it, e.g. "12.3 MB" (powers of 1000). */
    static String readable(Long bytes) {
        if (bytes == null) {
            return "";
        }
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", size, units[unit]);
    }
}
