package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Writes a page of the offline viewer. Everything read from the backup folder is hostile: it goes through
 * {@link #text}, which escapes it for element and attribute context alike; {@link #markup} takes only the viewer's own
 * constant markup.
 */
final class ViewerHtml {

    private static final DateTimeFormatter READABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Writer out;

    ViewerHtml(Writer out) {
        this.out = out;
    }

    ViewerHtml markup(String markup) throws IOException {
        out.write(markup);
        return this;
    }

    ViewerHtml text(String text) throws IOException {
        out.write(escape(text));
        return this;
    }

    /** {@code <tag class="cssClass">text</tag>}, the text escaped. */
    ViewerHtml element(String tag, String cssClass, String text) throws IOException {
        return markup("<" + tag + " class=\"" + cssClass + "\">").text(text).markup("</" + tag + ">\n");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A field's text, or null when it is absent or not a string. */
    static String field(JsonNode record, String name) {
        JsonNode value = record.path(name);
        return value.isTextual() ? value.asText() : null;
    }

    /** An ISO-8601 instant as people read it; a value that is no instant stays as it was (to be escaped). */
    static String readableTime(String iso) {
        if (iso == null) {
            return "unknown time";
        }
        try {
            return READABLE.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The instant's milliseconds for sorting; what is no instant sorts as the oldest. */
    static long sortableTime(String iso) {
        if (iso == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }
}
