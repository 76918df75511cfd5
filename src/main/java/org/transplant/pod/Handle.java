package org.transplant.pod;

import java.util.Locale;
import java.util.regex.Pattern;
import org.transplant.web.ProblemException;

/** A person's global id, {@code user@host[:port]}, as diaspora* and WebFinger use it. */
public record Handle(String user, String host) {

    private static final Pattern USER = Pattern.compile("[a-z0-9_.\\-]{1,64}");
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}(:|$))[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?)*(:\\d{1,5})?");

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
        if (!USER.matcher(user).matches() || !HOST.matcher(host).matches()) {
            throw ProblemException.invalid(field, "must look like user@host");
        }
        return new Handle(user, host);
    }

    @Override
    public String toString() {
        return user + "@" + host;
    }
}
