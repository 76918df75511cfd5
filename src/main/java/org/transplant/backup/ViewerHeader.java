package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whose backup this is, from {@code account.json}, and what the backup lacks, from {@code manifest.json}: the head of
 * the first page. Either file may be missing or broken; the viewer then says less.
 */
final class ViewerHeader {

    private final JsonNode account;
    private final JsonNode backup;

    private ViewerHeader(JsonNode account, JsonNode manifest) {
        this.account = account;
        this.backup = manifest.path("backup");
    }

    static ViewerHeader read(Path folder) {
        return new ViewerHeader(
                readObject(folder.resolve("account.json")), readObject(folder.resolve("manifest.json")));
    }

    /** The name to title the pages with. */
    String title() {
        String name = displayName();
        String handle = ViewerHtml.field(account, "handle");
        if (!name.isEmpty()) {
            return name + " – backup";
        }
        return handle != null ? handle + " – backup" : "Backup";
    }

    void writeProfile(ViewerHtml html, int posts) throws IOException {
        JsonNode profile = account.path("profile");
        html.markup("<header>\n");
        html.element("h1", "name", displayName().isEmpty() ? "Backup" : displayName());
        String handle = ViewerHtml.field(account, "handle");
        if (handle != null) {
            html.element("p", "meta", handle);
        }
        html.element("div", "text", ViewerHtml.field(profile, "bio"));
        writeDetails(html, profile);
        html.element("p", "meta", span() + " · " + posts + (posts == 1 ? " post" : " posts"));
        String snapshotAt = ViewerHtml.field(account, "snapshotAt");
        String taken = (snapshotAt != null ? " · snapshot of " + ViewerHtml.readableTime(snapshotAt) : "") + pulled();
        if (!taken.isEmpty()) {
            html.element("p", "meta", "Backup" + taken);
        }
        writeMissing(html);
        html.markup("</header>\n");
    }

    private void writeDetails(ViewerHtml html, JsonNode profile) throws IOException {
        List<String> details = new ArrayList<>();
        addDetail(details, "Location", ViewerHtml.field(profile, "location"));
        addDetail(details, "Birthday", ViewerHtml.field(profile, "birthday"));
        addDetail(details, "Gender", ViewerHtml.field(profile, "gender"));
        addDetail(details, "Tags", joined(profile.path("tags"), "#"));
        addDetail(details, "Aspects", joined(account.path("aspects"), ""));
        // Shown, never loaded: the viewer fetches nothing from the network.
        addDetail(details, "Avatar (not loaded)", ViewerHtml.field(profile, "avatarUrl"));
        for (String detail : details) {
            html.element("p", "meta", detail);
        }
    }

    private void writeMissing(ViewerHtml html) throws IOException {
        JsonNode missing = backup.path("missing");
        if (!missing.isArray() || missing.isEmpty()) {
            return;
        }
        html.markup("<details class=\"missing\"><summary>")
                .text(missing.size() + " item" + (missing.size() == 1 ? " is" : "s are") + " missing from this backup")
                .markup("</summary>\n<ul>\n");
        for (JsonNode item : missing) {
            String what = orUnknown(ViewerHtml.field(item, "what"));
            String guid = ViewerHtml.field(item, "guid");
            String reason = ViewerHtml.field(item, "reason");
            html.element("li", "text", what + (guid != null ? " " + guid : "") + (reason != null ? ": " + reason : ""));
        }
        html.markup("</ul>\n</details>\n");
    }

    private String displayName() {
        JsonNode profile = account.path("profile");
        String first = ViewerHtml.field(profile, "firstName");
        String last = ViewerHtml.field(profile, "lastName");
        return ((first != null ? first : "") + " " + (last != null ? last : "")).trim();
    }

    private String span() {
        String from = ViewerHtml.field(account, "spanFrom");
        String until = ViewerHtml.field(account, "spanUntil");
        if (from == null && until == null) {
            return "All posts";
        }
        return "Posts"
                + (from != null ? " from " + ViewerHtml.readableTime(from) : "")
                + (until != null ? " until " + ViewerHtml.readableTime(until) : "");
    }

    private String pulled() {
        String pod = ViewerHtml.field(backup, "pod");
        String pulledAt = ViewerHtml.field(backup, "pulledAt");
        return (pod != null ? " · from " + pod : "")
                + (pulledAt != null ? " · pulled " + ViewerHtml.readableTime(pulledAt) : "");
    }

    private static void addDetail(List<String> details, String label, String value) {
        if (value != null && !value.isBlank()) {
            details.add(label + ": " + value);
        }
    }

    private static String joined(JsonNode values, String prefix) {
        List<String> texts = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isTextual()) {
                texts.add(prefix + value.asText());
            }
        }
        return String.join(", ", texts);
    }

    private static String orUnknown(String text) {
        return text != null ? text : "unknown";
    }

    private static JsonNode readObject(Path file) {
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = ViewerLines.JSON.readTree(file.toFile());
            return node != null && node.isObject() ? node : MissingNode.getInstance();
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
