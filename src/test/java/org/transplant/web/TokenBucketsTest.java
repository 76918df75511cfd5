package org.transplant.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Buckets per key: a burst, then the refill rate; buckets full again are dropped, so many keys stay cheap. */
class TokenBucketsTest {

    @Test
    void aKeyGetsItsBurstThenWaitsAndFullBucketsAreSweptAway() {
        long[] now = {0};
        TokenBuckets buckets = new TokenBuckets(1, 2, () -> now[0]);
        assertThat(buckets.acquire("10.0.0.1")).isNull();
        assertThat(buckets.acquire("10.0.0.1")).isNull();
        assertThat(buckets.acquire("10.0.0.1")).isNotNull().hasMillis(1000);
        assertThat(buckets.acquire("10.0.0.2")).isNull();
        now[0] += 1_000_000_000L;
        buckets.sweep();
        // 10.0.0.2 is full again and gone; 10.0.0.1 has one token of two and stays.
        assertThat(buckets.size()).isEqualTo(1);
        assertThat(buckets.acquire("10.0.0.1")).isNull();
        assertThat(buckets.acquire("10.0.0.1")).isNotNull();
    }
}
