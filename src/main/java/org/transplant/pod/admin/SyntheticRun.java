package org.transplant.pod.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The state of one generation, handed from writer to writer: who, what was asked, the random streams (one per kind
 * of content, split from the seed in a fixed order, so adding photos doesn't change the posts) and what later
 * steps need from earlier ones. Used from one chain at a time, never concurrently.
 */
final class SyntheticRun {

    /** How far back synthetic content goes. */
    static final Duration WINDOW = Duration.ofDays(3 * 365);
    /** Recent post guids kept for reshares and notifications. */
    private static final int RECENT_POSTS = 256;

    /** A post that a photo is attached to. */
    record PostRef(String guid, long createdMillis) {}

    final long accountId;
    final String ownerHandle;
    final SyntheticContentRequest request;
    final List<Long> aspectIds;
    final long startMillis;
    final long endMillis;
    final SyntheticPeople people;
    final SyntheticTally tally = new SyntheticTally();

    final SplittableRandom postText;
    final SplittableRandom postTimes;
    final SplittableRandom contactTimes;
    final SplittableRandom photoRandom;
    final SplittableRandom conversationRandom;
    final SplittableRandom extrasRandom;
    final SplittableRandom postGuids;
    final SplittableRandom photoGuids;
    final SplittableRandom conversationGuids;

    final SyntheticTimeline postTimeline;
    /** Post index → the post, for the posts that photos get attached to (filled while posts are written). */
    final Map<Integer, PostRef> photoTargets = new HashMap<>();

    private final String[] recentPosts = new String[RECENT_POSTS];
    private int recentCount;
    List<String> publicKeys = List.of();

    SyntheticRun(
            long accountId,
            String accountGuid,
            String ownerHandle,
            SyntheticContentRequest request,
            List<Long> aspectIds,
            Instant end) {
        this.accountId = accountId;
        this.ownerHandle = ownerHandle;
        this.request = request;
        this.aspectIds = aspectIds;
        this.endMillis = end.toEpochMilli();
        this.startMillis = end.minus(WINDOW).toEpochMilli();
        this.people = new SyntheticPeople(
                request.seed(), request.contacts(), ownerHandle, Math.max(request.likesPerPost(), 3) + 1);
        SplittableRandom content = new SplittableRandom(request.seed());
        postText = content.split();
        postTimes = content.split();
        contactTimes = content.split();
        photoRandom = content.split();
        conversationRandom = content.split();
        extrasRandom = content.split();
        SplittableRandom guids = new SplittableRandom(SyntheticSeeds.guidSeed(request.seed(), accountGuid));
        postGuids = guids.split();
        photoGuids = guids.split();
        conversationGuids = guids.split();
        postTimeline = new SyntheticTimeline(startMillis, endMillis, Math.max(1, request.posts()), postTimes);
        markPhotoTargets();
    }

    void rememberPost(int index, String guid, long createdMillis, boolean reshare) {
        if (photoTargets.containsKey(index)) {
            photoTargets.put(index, new PostRef(guid, createdMillis));
        }
        if (!reshare) {
            recentPosts[recentCount++ % RECENT_POSTS] = guid;
        }
    }

    boolean hasRecentPosts() {
        return recentCount > 0;
    }

    /** One of the last few hundred original posts: what reshares and notifications point at. */
    String recentPost(SplittableRandom random) {
        return recentPosts[random.nextInt(Math.min(recentCount, RECENT_POSTS))];
    }

    /** The post that photo {@code photo} belongs to, or null: every second photo goes with a post. */
    PostRef photoTarget(int photo) {
        return photo % 2 == 0 ? photoTargets.get(photoPostIndex(photo)) : null;
    }

    private int photoPostIndex(int photo) {
        return (int) ((long) photo * request.posts() / Math.max(1, request.photos()));
    }

    private void markPhotoTargets() {
        if (request.posts() == 0) {
            return;
        }
        for (int photo = 0; photo < request.photos(); photo += 2) {
            photoTargets.put(photoPostIndex(photo), null);
        }
    }
}
