package org.transplant.pod.admin;

/** What one generation wrote, row by row kind, and how long it took. */
public record SyntheticContentResult(
        long posts,
        long postAspects,
        long comments,
        long likes,
        long photos,
        long photoBytes,
        long contacts,
        long contactAspects,
        long conversations,
        long conversationParticipants,
        long messages,
        long tagFollowings,
        long notifications,
        boolean profileFilled,
        long elapsedMillis) {}
