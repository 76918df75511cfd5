package org.transplant.migration.export;

/**
 * One byte range of a {@code Range} header (RFC 9110 §14.1.2), resolved against the size of what is served:
 * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. {@link #parse} gives null for a header to ignore (absent,
 * malformed, another unit, or several ranges: §14.2 lets a server send the whole instead) and
 * {@link #UNSATISFIABLE} for a range that starts past the end (a 416).
 */
public record ByteRange(long first, long last) {

    public static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    public boolean satisfiable() {
        return first >= 0;
    }

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of a 206 (or of a 416: {@code bytes *}{@code /size}). */
    public String contentRange(long size) {
        return satisfiable() ? "bytes " + first + "-" + last + "/" + size : "bytes */" + size;
    }

    public static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=")) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.contains(",")) {
            return null;
        }
        Long first = number(spec.substring(0, dash).trim());
        Long last = number(spec.substring(dash + 1).trim());
        if (first == null) {
            // A suffix: the last n bytes, or all of them when n is larger.
            if (last == null || last == 0 || size == 0) {
                return last == null ? null : UNSATISFIABLE;
            }
            return new ByteRange(Math.max(0, size - last), size - 1);
        }
        if (last != null && last < first) {
            return null;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, last == null ? size - 1 : Math.min(last, size - 1));
    }

    /** A non-negative decimal, or null when empty or not one. */
    private static Long number(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(text);
    }
}
