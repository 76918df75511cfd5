package org.transplant.pod;

import java.util.Locale;
import org.transplant.web.ProblemException;

/** A person's global id, {@code user@host[:port]}, as diaspora* and WebFinger use it. */
public record Handle(String user, String host) {

    /** Parses {@code user@host} (an {@code acct:} prefix is allowed); refuses anything else with a 400 problem. */
    public static Handle parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid(field, "is required, as user@host");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("acct:")) {
            value = value.substring(5);
        }
        int at = value.indexOf('@');
        if (at <= 0 || at != value.lastIndexOf('@')) {
            throw ProblemException.invalid(field, "must look like user@host");
        }
        String user = value.substring(0, at);
        String host = value.substring(at + 1);
        if (!isUser(user) || !isHost(host)) {
            throw ProblemException.invalid(field, "must look like user@host");
        }
        return new Handle(user, host);
    }

    @Override
    public String toString() {
        return user + "@" + host;
    }

    /*
     * The two checks below are by hand rather than by regular expression: an import checks the author of every
     * comment and like. HandleTest holds them to the expressions they replace.
     */

    /** {@code [a-z0-9_.-]{1,64}}. */
    static boolean isUser(String user) {
        if (user.isEmpty() || user.length() > 64) {
            return false;
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (!(isLowerAlnum(c) || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A DNS name of 1 to 253 characters, in labels of 1 to 63 letters, digits and inner hyphens, then optionally a
     * port of 1 to 5 digits.
     */
    static boolean isHost(String host) {
        int colon = host.indexOf(':');
        int end = colon < 0 ? host.length() : colon;
        if (end < 1 || end > 253) {
            return false;
        }
        if (colon >= 0) {
            int digits = host.length() - colon - 1;
            if (digits < 1 || digits > 5) {
                return false;
            }
            for (int i = colon + 1; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
        }
        int label = 0;
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (label == 0 || host.charAt(i - 1) == '-') {
                    return false;
                }
                label = 0;
            } else if (isLowerAlnum(c) || (c == '-' && label > 0)) {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0 && host.charAt(end - 1) != '-';
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
