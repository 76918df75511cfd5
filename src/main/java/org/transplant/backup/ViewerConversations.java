package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code conversations.html}: each conversation, newest first, with all its messages oldest first. The messages
 * collection holds them all; a conversation's record embeds only its first 200, which stand in for any the collection
 * lacks. Only where each line is stays in memory.
 */
final class ViewerConversations {

    static final String PAGE = "conversations.html";

    private record Entry(String guid, long time, ViewerLines.Ref ref) {}

    /** A message, in messages.ndjson ({@code ref}) or embedded in its conversation ({@code embedded}). */
    private record Message(String guid, long time, ViewerLines.Ref ref, JsonNode embedded) {}

    private ViewerConversations() {}

    static void write(Path folder, ViewerHeader header) throws IOException {
        List<Entry> conversations = new ArrayList<>();
        ViewerLines.scan(
                folder.resolve("conversations.ndjson"),
                (conversation, ref) -> conversations.add(new Entry(
                        ViewerHtml.field(conversation, "guid"),
                        ViewerHtml.sortableTime(ViewerHtml.field(conversation, "createdAt")),
                        ref)));
        conversations.sort(Comparator.comparingLong(Entry::time).reversed());
        Map<String, List<Message>> messages = new HashMap<>();
        ViewerLines.scan(folder.resolve("messages.ndjson"), (message, ref) -> {
            String conversation = ViewerHtml.field(message, "conversationGuid");
            if (conversation != null) {
                messages.computeIfAbsent(conversation, k -> new ArrayList<>()).add(message(message, ref, null));
            }
        });
        try (ViewerLines.Reader conversationLines = new ViewerLines.Reader(folder.resolve("conversations.ndjson"));
                ViewerLines.Reader messageLines = new ViewerLines.Reader(folder.resolve("messages.ndjson"))) {
            ViewerPage.write(folder.resolve(PAGE), header.title(), html -> {
                html.element("h1", "title", "Conversations");
                if (conversations.isEmpty()) {
                    html.element("p", "meta", "No conversations in this backup.");
                }
                for (Entry entry : conversations) {
                    JsonNode conversation = conversationLines.read(entry.ref());
                    if (conversation != null) {
                        List<Message> all = merged(messages.getOrDefault(entry.guid(), List.of()), conversation);
                        writeConversation(html, conversation, all, messageLines);
                    }
                }
            });
        }
    }

    private static Message message(JsonNode message, ViewerLines.Ref ref, JsonNode embedded) {
        return new Message(
                ViewerHtml.field(message, "guid"),
                ViewerHtml.sortableTime(ViewerHtml.field(message, "createdAt")),
                ref,
                embedded);
    }

    /** The collection's messages and the embedded ones it lacks, each guid once, oldest first. */
    private static List<Message> merged(List<Message> collected, JsonNode conversation) {
        List<Message> all = new ArrayList<>();
        Set<String> guids = new HashSet<>();
        for (Message message : collected) {
            if (message.guid() == null || guids.add(message.guid())) {
                all.add(message);
            }
        }
        for (JsonNode embedded : conversation.path("messages")) {
            String guid = ViewerHtml.field(embedded, "guid");
            if (embedded.isObject() && (guid == null || guids.add(guid))) {
                all.add(message(embedded, null, embedded));
            }
        }
        all.sort(Comparator.comparingLong(Message::time));
        return all;
    }

    private static void writeConversation(
            ViewerHtml html, JsonNode conversation, List<Message> messages, ViewerLines.Reader messageLines)
            throws IOException {
        html.markup("<article class=\"conversation\">\n");
        String subject = ViewerHtml.field(conversation, "subject");
        html.element("h2", "subject", subject != null && !subject.isBlank() ? subject : "(no subject)");
        List<String> participants = new ArrayList<>();
        for (JsonNode participant : conversation.path("participants")) {
            if (participant.isTextual()) {
                participants.add(participant.asText());
            }
        }
        String author = ViewerHtml.field(conversation, "author");
        html.element(
                "p",
                "meta",
                "Started by " + (author != null ? author : "someone") + " on "
                        + ViewerHtml.readableTime(ViewerHtml.field(conversation, "createdAt")) + " · with "
                        + String.join(", ", participants));
        html.markup("<ol class=\"comments\">\n");
        for (Message message : messages) {
            JsonNode record = message.embedded() != null ? message.embedded() : messageLines.read(message.ref());
            if (record != null) {
                String from = ViewerHtml.field(record, "author");
                html.markup("<li class=\"message\">");
                html.element(
                        "p",
                        "meta",
                        (from != null ? from : "someone") + " · "
                                + ViewerHtml.readableTime(ViewerHtml.field(record, "createdAt")));
                html.element("div", "text", ViewerHtml.field(record, "text"));
                html.markup("</li>\n");
            }
        }
        html.markup("</ol>\n</article>\n");
    }
}
