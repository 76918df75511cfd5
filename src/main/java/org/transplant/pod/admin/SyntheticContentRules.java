package org.transplant.pod.admin;

import org.transplant.web.ProblemException;

/**
 * Checks a synthetic-content request before anything is written. The bounds keep one call within what a pod can
 * write in minutes (a million posts is about nine million rows with comments and likes).
 */
public final class SyntheticContentRules {

    static final int MAX_POSTS = 1_000_000;
    static final int MAX_COMMENTS_PER_POST = 100;
    static final int MAX_LIKES_PER_POST = 100;
    static final int MAX_PHOTOS = 10_000;
    static final int MIN_PHOTO_BYTES = 1024;
    static final int MAX_PHOTO_BYTES = 5 * 1024 * 1024;
    static final int MAX_CONTACTS = 100_000;
    static final int MAX_CONVERSATIONS = 10_000;
    static final int MAX_MESSAGES_PER_CONVERSATION = 1_000;

    private SyntheticContentRules() {}

    /** Returns the request when every number is within bounds, else throws a problem naming the field. */
    public static SyntheticContentRequest check(SyntheticContentRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with the amounts to generate is required");
        }
        within("posts", request.posts(), 0, MAX_POSTS);
        within("commentsPerPost", request.commentsPerPost(), 0, MAX_COMMENTS_PER_POST);
        within("likesPerPost", request.likesPerPost(), 0, MAX_LIKES_PER_POST);
        within("photos", request.photos(), 0, MAX_PHOTOS);
        if (request.photos() > 0 || request.photoBytes() != 0) {
            within("photoBytes", request.photoBytes(), MIN_PHOTO_BYTES, MAX_PHOTO_BYTES);
        }
        within("contacts", request.contacts(), 0, MAX_CONTACTS);
        within("conversations", request.conversations(), 0, MAX_CONVERSATIONS);
        within("messagesPerConversation", request.messagesPerConversation(), 0, MAX_MESSAGES_PER_CONVERSATION);
        return request;
    }

    private static void within(String field, int value, int min, int max) {
        if (value < 0) {
            throw ProblemException.invalid(field, "must not be negative");
        }
        if (value < min || value > max) {
            throw ProblemException.invalid(field, "must be between " + min + " and " + max);
        }
    }
}
