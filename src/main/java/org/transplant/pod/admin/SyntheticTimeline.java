package org.transplant.pod.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Times of {@code count} items spread over a window, strictly increasing with the index: item i falls at a random
 * point in the first 80% of the i-th slice, so there is always a gap before the next item for its comments and
 * likes to fall into. Read in index order.
 */
final class SyntheticTimeline {

    private final long startMillis;
    private final long spanMillis;
    private final int count;
    private final SplittableRandom random;
    private int index = -1;
    private long current;
    private long next;

    SyntheticTimeline(long startMillis, long endMillis, int count, SplittableRandom random) {
        this.startMillis = startMillis;
        this.spanMillis = endMillis - startMillis;
        this.count = count;
        this.random = random;
        this.next = at(0);
    }

    /** Moves to the next item and returns its time in epoch milliseconds. */
    long advance() {
        index++;
        current = next;
        next = index + 1 < count ? at(index + 1) : startMillis + spanMillis;
        return current;
    }

    /** Milliseconds from the current item to the next one (or to the window's end after the last). */
    long gapMillis() {
        return next - current;
    }

    static OffsetDateTime time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

    private long at(int i) {
        return startMillis + (long) (spanMillis * ((i + 0.8 * random.nextDouble()) / count));
    }
}
