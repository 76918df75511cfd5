package org.transplant.migration.importer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.transplant.migration.api.ExportRecords.AccountRecord;
import org.transplant.migration.api.ExportRecords.ProfileRecord;
import org.transplant.migration.api.ExportRecords.SettingsRecord;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.pod.Handle;
import org.transplant.web.ProblemException;

/**
 * The old pod's account document, checked before anything of it is used: it must be the account the person named
 * when they started (the token the old pod gave belongs to it), carry a snapshot, and its profile, settings and
 * aspects must pass this pod's own rules; a field that does not is left out and reported.
 */
final class AccountDocument {

    // ProfileRules and SettingsService: the same bounds as a person editing their profile here.
    private static final int MAX_NAME = 32;
    private static final int MAX_SHORT = 255;
    private static final int MAX_URL = 2048;
    private static final int MAX_TAGS = 5;
    private static final int MAX_ASPECTS = 1_000;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}|[a-z]{2}-[a-zA-Z]{2}");
    private static final Set<String> VISIBILITIES = Set.of("public", "aspects");

    private AccountDocument() {}

    /** The account document as this pod takes it, and the fields of it that were left out. */
    record Sanitized(AccountRecord account, List<LeftOut> leftOut) {}

    /**
     * Checks the old pod's account document (format, identity, snapshot; throws CallFailed when it cannot be used at
     * all) and turns it into an {@link AccountRecord} of checked fields only: a profile, settings and aspects that pass
     * this pod's rules (a bad field is left out and reported), the announced totals, the snapshot and the move nonce.
     * What this pod does not use of the document (its guid, key, collections) is not taken.
     */
    static Sanitized check(JsonObject document, String typedHandle) {
        requireKnownFormat(document);
        String handle = requireIdentity(document, typedHandle);
        long snapshot = ((Number) document.getValue("snapshot")).longValue();
        Map<String, Long> counts = counts(document);
        String formatVersion = document.getValue("formatVersion") instanceof String text ? text : null;
        // Given back to the old pod with the move call, never used here.
        String moveNonce = document.getValue("moveNonce") instanceof String nonce ? nonce : null;
        List<LeftOut> leftOut = sanitize(document);
        JsonObject p = document.getJsonObject("profile");
        JsonObject s = document.getJsonObject("settings");
        List<String> tags = new ArrayList<>();
        p.getJsonArray("tags", new JsonArray()).forEach(tag -> tags.add((String) tag));
        ProfileRecord profile = new ProfileRecord(
                p.getString("firstName"),
                p.getString("lastName"),
                p.getString("bio"),
                p.getString("avatarUrl"),
                p.getString("location"),
                p.getString("birthday") == null ? null : LocalDate.parse(p.getString("birthday")),
                p.getString("gender"),
                tags,
                p.getBoolean("searchable", true),
                p.getBoolean("nsfw", false),
                p.getBoolean("publicDetails", false));
        SettingsRecord settings = new SettingsRecord(
                s.getString("language", "en"),
                s.getBoolean("disableMail", false),
                s.getBoolean("showCommunitySpotlight", false),
                s.getBoolean("autoFollowBack", false),
                s.getString("autoFollowBackAspect"),
                s.getString("defaultPostVisibility", "public"));
        List<String> aspects = new ArrayList<>();
        document.getJsonArray("aspects").forEach(aspect -> aspects.add((String) aspect));
        AccountRecord account = new AccountRecord(
                formatVersion,
                handle,
                null,
                null,
                profile,
                settings,
                aspects,
                snapshot,
                null,
                counts,
                null,
                null,
                null,
                null,
                null,
                moveNonce);
        return new Sanitized(account, leftOut);
    }

    /** A format version: a major number, optionally a dot and a minor one ("1", "1.1"). */
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})(\\.[0-9]{1,9})?");

    /**
     * Refuses an account document of a format whose major version this pod does not know: a new major may change what
     * a record means, and reading it as this one would copy something else than the person has. A higher minor only
     * adds, so it is read (what this pod does not know of it is ignored). A document without a version is of a pod
     * from before the field: format 1.
     */
    static void requireKnownFormat(JsonObject account) {
        Object version = account.getValue("formatVersion");
        if (version == null) {
            return;
        }
        var matcher = version instanceof String text ? FORMAT.matcher(text) : null;
        if (matcher == null || !matcher.matches()) {
            throw new CallFailed(
                    0,
                    "The old pod's account document names no format version this pod can read; nothing was copied",
                    0,
                    false);
        }
        if (Integer.parseInt(matcher.group(1)) != MigrationFormat.MAJOR) {
            throw new CallFailed(
                    0,
                    "The old pod exports its accounts in format " + matcher.group(1) + ".x, and this pod reads only"
                            + " format " + MigrationFormat.MAJOR + ".x; nothing was copied. This pod needs an update"
                            + " before it can copy this account",
                    0,
                    false);
        }
    }

    /**
     * Refuses an account document of another account than {@code typedHandle}: whoever signed in at the old pod
     * authorized their own account, and this import was started for the one the person typed. A CallFailed that
     * ends the job. Answers the handle, lower case.
     */
    static String requireIdentity(JsonObject account, String typedHandle) {
        Object named = account.getValue("handle");
        String handle;
        try {
            handle = named instanceof String text ? Handle.parse("handle", text).toString() : null;
        } catch (ProblemException e) {
            handle = null;
        }
        if (handle == null) {
            throw new CallFailed(
                    0,
                    "The old pod's account document names no handle, so this pod cannot tell whose"
                            + " account it is; nothing was copied",
                    0,
                    false);
        }
        if (!handle.equalsIgnoreCase(typedHandle)) {
            throw new CallFailed(
                    0,
                    "This import is for " + typedHandle + ", but the account that authorized it on"
                            + " the old pod is " + handle + "; nothing was copied. Start again and sign in there as "
                            + typedHandle,
                    0,
                    false);
        }
        if (!(account.getValue("snapshot") instanceof Number snapshot) || snapshot.longValue() < 0) {
            throw new CallFailed(0, "The old pod's account document has no snapshot to copy up to", 0, false);
        }
        return handle;
    }

    /** The totals the old pod announced, whole numbers only (anything else counts as unknown). */
    private static Map<String, Long> counts(JsonObject account) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (account.getValue("counts") instanceof JsonObject announced) {
            for (String name : announced.fieldNames()) {
                if (announced.getValue(name) instanceof Number n && !(n instanceof Double) && n.longValue() >= 0) {
                    counts.put(name, n.longValue());
                }
            }
        }
        return counts;
    }

    /** Profile, settings and aspects made safe to write: a bad field is removed and reported. */
    private static List<LeftOut> sanitize(JsonObject account) {
        List<LeftOut> leftOut = new ArrayList<>();
        JsonObject profile = object(account, "profile", leftOut);
        for (String field : new String[] {"firstName", "lastName"}) {
            text(profile, "profile", field, MAX_NAME, leftOut);
        }
        text(profile, "profile", "bio", RecordCheck.MAX_TEXT, leftOut);
        text(profile, "profile", "location", MAX_SHORT, leftOut);
        text(profile, "profile", "gender", MAX_SHORT, leftOut);
        if (text(profile, "profile", "avatarUrl", MAX_URL, leftOut) && !httpUrl(profile.getString("avatarUrl"))) {
            drop(profile, "profile", "avatarUrl", "is not an http or https URL", leftOut);
        }
        if (text(profile, "profile", "birthday", 10, leftOut) && !pastDate(profile.getString("birthday"))) {
            drop(profile, "profile", "birthday", "is not a date in the past", leftOut);
        }
        for (String field : new String[] {"searchable", "nsfw", "publicDetails"}) {
            bool(profile, "profile", field, leftOut);
        }
        if (profile.getValue("tags") != null
                && !(profile.getValue("tags") instanceof JsonArray tags
                        && tags.size() <= MAX_TAGS
                        && tags.stream()
                                .allMatch(t ->
                                        t instanceof String s && TAG.matcher(s).matches()))) {
            drop(profile, "profile", "tags", "must be at most " + MAX_TAGS + " tags of letters, digits or _", leftOut);
        }
        JsonObject settings = object(account, "settings", leftOut);
        if (text(settings, "settings", "language", 10, leftOut)
                && !LANGUAGE.matcher(settings.getString("language")).matches()) {
            drop(settings, "settings", "language", "is not a language code", leftOut);
        }
        if (text(settings, "settings", "defaultPostVisibility", 10, leftOut)
                && !VISIBILITIES.contains(settings.getString("defaultPostVisibility"))) {
            drop(settings, "settings", "defaultPostVisibility", "must be public or aspects", leftOut);
        }
        text(settings, "settings", "autoFollowBackAspect", RecordCheck.MAX_ASPECT, leftOut);
        for (String field : new String[] {"disableMail", "showCommunitySpotlight", "autoFollowBack"}) {
            bool(settings, "settings", field, leftOut);
        }
        JsonArray aspects = new JsonArray();
        if (account.getValue("aspects") instanceof JsonArray announced) {
            for (int i = 0; i < announced.size(); i++) {
                Object aspect = announced.getValue(i);
                if (aspect instanceof String name
                        && !name.isBlank()
                        && name.length() <= RecordCheck.MAX_ASPECT
                        && aspects.size() < MAX_ASPECTS) {
                    aspects.add(name);
                } else {
                    // Named by its place: a refused value is the old pod's text, and the report is shown to people.
                    leftOut.add(new LeftOut(
                            "aspects",
                            "aspects[" + i + "]",
                            "is not an aspect name of 1 to " + RecordCheck.MAX_ASPECT
                                    + " characters (or one too many)"));
                }
            }
        }
        account.put("aspects", aspects);
        return leftOut;
    }

    private static JsonObject object(JsonObject account, String field, List<LeftOut> leftOut) {
        Object value = account.getValue(field);
        if (value instanceof JsonObject object) {
            return object;
        }
        if (value != null) {
            leftOut.add(new LeftOut(field, field, "is not an object"));
        }
        JsonObject empty = new JsonObject();
        account.put(field, empty);
        return empty;
    }

    /** Whether a text field is present and fine; a wrong type or length is dropped. */
    private static boolean text(JsonObject object, String collection, String field, int max, List<LeftOut> leftOut) {
        Object value = object.getValue(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof String text) || text.length() > max) {
            drop(object, collection, field, "must be a text of at most " + max + " characters", leftOut);
            return false;
        }
        return true;
    }

    private static void bool(JsonObject object, String collection, String field, List<LeftOut> leftOut) {
        if (object.getValue(field) != null && !(object.getValue(field) instanceof Boolean)) {
            drop(object, collection, field, "must be true or false", leftOut);
        }
    }

    private static void drop(JsonObject object, String collection, String field, String why, List<LeftOut> leftOut) {
        object.remove(field);
        leftOut.add(new LeftOut(collection, field, why));
    }

    private static boolean httpUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute()
                    && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean pastDate(String text) {
        try {
            LocalDate date = LocalDate.parse(text);
            return !date.isAfter(LocalDate.now(ZoneOffset.MAX)) && date.getYear() >= 1900;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
