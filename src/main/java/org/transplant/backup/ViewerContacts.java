package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code contacts.html}: each contact as {@code contacts.ndjson} lists them, streamed from the file to the page. */
final class ViewerContacts {

    static final String PAGE = "contacts.html";

    private ViewerContacts() {}

    static void write(Path folder, ViewerHeader header) throws IOException {
        ViewerPage.write(folder.resolve(PAGE), header.title(), html -> {
            html.element("h1", "title", "Contacts");
            html.markup("<table>\n<thead><tr><th>Handle</th><th>Name</th><th>Sharing</th><th>Aspects</th></tr>"
                    + "</thead>\n<tbody>\n");
            ViewerLines.scan(folder.resolve("contacts.ndjson"), (contact, ref) -> writeContact(html, contact));
            html.markup("</tbody>\n</table>\n");
        });
    }

    private static void writeContact(ViewerHtml html, JsonNode contact) throws IOException {
        html.markup("<tr>");
        html.element("td", "handle", ViewerHtml.field(contact, "handle"));
        html.element("td", "name", ViewerHtml.field(contact, "displayName"));
        html.element("td", "sharing", sharing(contact));
        List<String> aspects = new ArrayList<>();
        for (JsonNode aspect : contact.path("aspects")) {
            if (aspect.isTextual()) {
                aspects.add(aspect.asText());
            }
        }
        html.element("td", "aspects", String.join(", ", aspects));
        html.markup("</tr>\n");
    }

    private static String sharing(JsonNode contact) {
        List<String> states = new ArrayList<>();
        if (contact.path("following").asBoolean(false)) {
            states.add("following");
        }
        if (contact.path("follower").asBoolean(false)) {
            states.add("follower");
        }
        if (contact.path("blocked").asBoolean(false)) {
            states.add("blocked");
        }
        return String.join(", ", states);
    }
}
