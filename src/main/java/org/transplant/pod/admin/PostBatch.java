package org.transplant.pod.admin;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One batch of posts with their aspects, comments and likes, as the column arrays the bulk inserts take. Every
 * comment and like falls between its post and the next post, so handing out sequence numbers in the order of
 * generation keeps seq increasing with created_at across posts, comments and likes together.
 */
final class PostBatch {

    final String[] postGuids;
    final String[] postTexts;
    final Boolean[] postPublic;
    final String[] rootGuids;
    final Long[] postSeqs;
    final OffsetDateTime[] postTimes;

    String[] aspectPostGuids;
    Long[] aspectIds;
    private int aspectCount;

    final String[] commentGuids;
    final String[] commentPostGuids;
    final String[] commentAuthors;
    final String[] commentTexts;
    final Long[] commentSeqs;
    final OffsetDateTime[] commentTimes;
    private int comments;

    final String[] likeGuids;
    final String[] likePostGuids;
    final String[] likeAuthors;
    final Long[] likeSeqs;
    final OffsetDateTime[] likeTimes;
    private int likes;

    private PostBatch(int posts, int commentsPerPost, int likesPerPost) {
        postGuids = new String[posts];
        postTexts = new String[posts];
        postPublic = new Boolean[posts];
        rootGuids = new String[posts];
        postSeqs = new Long[posts];
        postTimes = new OffsetDateTime[posts];
        aspectPostGuids = new String[posts];
        aspectIds = new Long[posts];
        int commentRows = posts * commentsPerPost;
        commentGuids = new String[commentRows];
        commentPostGuids = new String[commentRows];
        commentAuthors = new String[commentRows];
        commentTexts = new String[commentRows];
        commentSeqs = new Long[commentRows];
        commentTimes = new OffsetDateTime[commentRows];
        int likeRows = posts * likesPerPost;
        likeGuids = new String[likeRows];
        likePostGuids = new String[likeRows];
        likeAuthors = new String[likeRows];
        likeSeqs = new Long[likeRows];
        likeTimes = new OffsetDateTime[likeRows];
    }

    /** Rows of every kind that carry a sequence number, for posts {@code count} posts. */
    static long seqCount(int count, SyntheticContentRequest request) {
        return (long) count * (1 + request.commentsPerPost() + request.likesPerPost());
    }

    /** Posts {@code from} to {@code from + count - 1} of the run, numbered from {@code firstSeq}. */
    static PostBatch generate(SyntheticRun run, int from, int count, long firstSeq) {
        int commentsPerPost = run.request.commentsPerPost();
        int likesPerPost = run.request.likesPerPost();
        PostBatch batch = new PostBatch(count, commentsPerPost, likesPerPost);
        SplittableRandom random = run.postText;
        int reactions = commentsPerPost + likesPerPost;
        long[] offsets = new long[reactions];
        boolean[] isComment = new boolean[reactions];
        long seq = firstSeq;
        for (int k = 0; k < count; k++) {
            long created = run.postTimeline.advance();
            String guid = SyntheticSeeds.guid(run.postGuids, created);
            boolean reshare = run.hasRecentPosts() && random.nextInt(100) < 5;
            boolean limited = !reshare && !run.aspectIds.isEmpty() && random.nextInt(100) < 20;
            batch.postGuids[k] = guid;
            batch.postTexts[k] = reshare ? null : SyntheticText.post(random);
            batch.postPublic[k] = !limited;
            batch.rootGuids[k] = reshare ? run.recentPost(random) : null;
            batch.postSeqs[k] = seq++;
            batch.postTimes[k] = SyntheticTimeline.time(created);
            if (limited) {
                batch.aspectPostGuids[batch.aspectCount] = guid;
                batch.aspectIds[batch.aspectCount++] = run.aspectIds.get(random.nextInt(run.aspectIds.size()));
            }
            run.rememberPost(from + k, guid, created, reshare);
            if (reactions == 0) {
                continue;
            }
            long gap = Math.max(2, run.postTimeline.gapMillis());
            for (int j = 0; j < reactions; j++) {
                offsets[j] = 1 + random.nextLong(gap - 1);
                isComment[j] = j < commentsPerPost;
            }
            Arrays.sort(offsets);
            shuffle(isComment, random);
            String[] likers = likesPerPost == 0 ? null : run.people.distinct(random, likesPerPost, true);
            int liker = 0;
            for (int j = 0; j < reactions; j++) {
                long atMillis = created + offsets[j];
                OffsetDateTime at = SyntheticTimeline.time(atMillis);
                if (isComment[j]) {
                    batch.addComment(
                            SyntheticSeeds.guid(run.postGuids, atMillis),
                            guid,
                            run.people.commenter(random),
                            SyntheticText.comment(random),
                            seq++,
                            at);
                } else {
                    batch.addLike(SyntheticSeeds.guid(run.postGuids, atMillis), guid, likers[liker++], seq++, at);
                }
            }
        }
        batch.aspectPostGuids = Arrays.copyOf(batch.aspectPostGuids, batch.aspectCount);
        batch.aspectIds = Arrays.copyOf(batch.aspectIds, batch.aspectCount);
        return batch;
    }

    private void addComment(String guid, String postGuid, String author, String text, long seq, OffsetDateTime at) {
        commentGuids[comments] = guid;
        commentPostGuids[comments] = postGuid;
        commentAuthors[comments] = author;
        commentTexts[comments] = text;
        commentSeqs[comments] = seq;
        commentTimes[comments++] = at;
    }

    private void addLike(String guid, String postGuid, String author, long seq, OffsetDateTime at) {
        likeGuids[likes] = guid;
        likePostGuids[likes] = postGuid;
        likeAuthors[likes] = author;
        likeSeqs[likes] = seq;
        likeTimes[likes++] = at;
    }

    private static void shuffle(boolean[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            boolean swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
