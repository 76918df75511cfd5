package org.transplant.pod.admin;

/**
 * How much synthetic content to write into one account. The same seed writes the same texts, times and handles;
 * guids also depend on the account, so two accounts generated with one seed never collide.
 */
public record SyntheticContentRequest(
        int posts,
        int commentsPerPost,
        int likesPerPost,
        int photos,
        int photoBytes,
        int contacts,
        int conversations,
        int messagesPerConversation,
        long seed) {}
