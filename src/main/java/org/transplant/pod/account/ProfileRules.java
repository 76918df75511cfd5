package org.transplant.pod.account;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.transplant.pod.StorableTime;
import org.transplant.web.ProblemException;

/** Checks a whole profile before anything is written, and converts tags to and from diaspora*'s tag_string. */
final class ProfileRules {

    static final int MAX_NAME = 32;
    static final int MAX_BIO = 65_535;
    static final int MAX_SHORT = 255;
    static final int MAX_URL = 2048;
    static final int MAX_TAGS = 5;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private ProfileRules() {}

    /** The profile to store, with text trimmed and blanks as null; a 400 naming the first bad field. */
    static ProfileBody check(ProfileBody body) {
        if (body == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with the whole profile is required");
        }
        return new ProfileBody(
                text("firstName", body.firstName(), MAX_NAME),
                text("lastName", body.lastName(), MAX_NAME),
                text("bio", body.bio(), MAX_BIO),
                avatarUrl(body.avatarUrl()),
                text("location", body.location(), MAX_SHORT),
                birthday(body.birthday()),
                text("gender", body.gender(), MAX_SHORT),
                tags(body.tags()),
                body.searchable() == null || body.searchable(),
                Boolean.TRUE.equals(body.nsfw()),
                Boolean.TRUE.equals(body.publicDetails()));
    }

    static String tagString(List<String> tags) {
        return tags.isEmpty()
                ? null
                : String.join(" ", tags.stream().map(t -> "#" + t).toList());
    }

    static List<String> tags(String tagString) {
        if (tagString == null || tagString.isBlank()) {
            return List.of();
        }
        return Arrays.stream(tagString.trim().split("\\s+"))
                .map(t -> t.startsWith("#") ? t.substring(1) : t)
                .toList();
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw ProblemException.invalid(field, "must have at most " + max + " characters");
        }
        return trimmed;
    }

    private static String avatarUrl(String value) {
        String url = text("avatarUrl", value, MAX_URL);
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw ProblemException.invalid("avatarUrl", "must be an absolute http or https URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("avatarUrl", "must be an absolute http or https URL");
        }
    }

    /** Compared with the date where the day begins first (UTC+14), so that nobody's today counts as the future. */
    private static LocalDate birthday(LocalDate birthday) {
        if (birthday != null && birthday.isAfter(LocalDate.now(ZoneOffset.MAX))) {
            throw ProblemException.invalid("birthday", "cannot be in the future");
        }
        if (birthday != null && !StorableTime.holds(birthday)) {
            throw ProblemException.invalid("birthday", "must be in the years 1 to 9999");
        }
        return birthday;
    }

    private static List<String> tags(List<String> raw) {
        if (raw == null) {
            return List.of();
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : raw) {
            // A leading '#' is how people write tags; it is not part of the tag.
            String name = tag == null ? "" : tag.strip();
            name = name.startsWith("#") ? name.substring(1) : name;
            if (!TAG.matcher(name).matches()) {
                throw ProblemException.invalid("tags", "each tag has 1 to 64 letters, digits or underscores");
            }
            tags.add(name);
        }
        if (tags.size() > MAX_TAGS) {
            throw ProblemException.invalid("tags", "at most " + MAX_TAGS + " tags");
        }
        return new ArrayList<>(tags);
    }
}
