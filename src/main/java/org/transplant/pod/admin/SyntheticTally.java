package org.transplant.pod.admin;

/** Rows written so far in one generation, counted from what the database reports. */
final class SyntheticTally {

    long posts;
    long postAspects;
    long comments;
    long likes;
    long photos;
    long photoBytes;
    long contacts;
    long contactAspects;
    long conversations;
    long participants;
    long messages;
    long tagFollowings;
    long notifications;
    boolean profileFilled;

    SyntheticContentResult toResult(long elapsedMillis) {
        return new SyntheticContentResult(
                posts,
                postAspects,
                comments,
                likes,
                photos,
                photoBytes,
                contacts,
                contactAspects,
                conversations,
                participants,
                messages,
                tagFollowings,
                notifications,
                profileFilled,
                elapsedMillis);
    }
}
