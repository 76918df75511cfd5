package org.transplant.oidc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.transplant.pod.session.TokenAccounts;

/** The scopes this pod grants, each with the plain words the consent page shows a person. */
public final class Scopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = TokenAccounts.PROFILE;
    public static final String MIGRATION_READ = "migration:read";
    public static final String MIGRATION_MOVE = "migration:move";
    public static final String BACKUP_READ = "backup:read";

    /** In the order the consent page lists them. */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        // Exactly what each scope reads (the consent page promises no less and no more than the code serves).
        d.put(OPENID, "Know who you are on this pod: your handle");
        d.put(
                PROFILE,
                "See your profile (read only): your name, picture, bio, location, birthday, gender, tags and"
                        + " whether your profile is searchable, marked nsfw or shows its details");
        d.put(
                MIGRATION_READ,
                "Copy everything of this account (read only): your profile, settings and aspects,"
                        + " your posts with their comments and likes, photos, contacts, private conversations with their"
                        + " messages, followed tags and latest notifications");
        d.put(MIGRATION_MOVE, "Finish a move: lock this account and send its visitors and contacts to the new one");
        d.put(
                BACKUP_READ,
                "Read a copy of this account for a backup (read only): your profile, settings and aspects,"
                        + " your posts with their comments and likes, photos, contacts, private conversations with their"
                        + " messages, followed tags and latest notifications (with a time span, only those made within it)");
        DESCRIPTIONS = Map.copyOf(d);
    }

    private static final String[] ORDER = {OPENID, PROFILE, MIGRATION_READ, MIGRATION_MOVE, BACKUP_READ};

    private Scopes() {}

    public static Set<String> supported() {
        return new LinkedHashSet<>(Arrays.asList(ORDER));
    }

    /** Splits a space-separated scope parameter; null when it names a scope this pod does not know. */
    public static Set<String> parse(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        Set<String> requested =
                Arrays.stream(scope.trim().split(" +")).collect(Collectors.toCollection(LinkedHashSet::new));
        return supported().containsAll(requested) ? requested : null;
    }

    /** Scopes in the canonical order, space-separated. */
    public static String format(Set<String> scopes) {
        return Arrays.stream(ORDER).filter(scopes::contains).collect(Collectors.joining(" "));
    }
}
