package org.transplant.pod.conversation;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of conversations and messages. */
public final class ConversationViews {

    private ConversationViews() {}

    public record NewConversation(String subject, String text, List<String> participants) {}

    public record NewMessage(String text) {}

    public record MessageView(String guid, String author, String text, Instant createdAt) {}

    /** {@code participants} lists every handle in the conversation, the author's included. */
    public record ConversationView(
            String guid,
            String subject,
            String author,
            List<String> participants,
            List<MessageView> messages,
            Instant createdAt) {}

    /** A conversation in a list: its messages are counted, not carried. */
    public record ConversationSummary(
            String guid, String subject, String author, List<String> participants, long messages, Instant createdAt) {}

    public record ConversationPage(List<ConversationSummary> items, String next) {}
}
