package org.transplant.web;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: {@code burst} requests at once, refilled at {@code perSecond}. Buckets that have filled up
 * again are dropped now and then, so that keys without end (client addresses) take bounded memory.
 */
public final class TokenBuckets {

    private static final int SWEEP_EVERY = 4096;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    public TokenBuckets(double perSecond, int burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one request from the key's bucket: null when allowed, else how long to wait. */
    public Duration acquire(String key) {
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nanoClock.getAsLong()));
        synchronized (bucket) {
            refill(bucket, nanoClock.getAsLong());
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return null;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9));
        }
    }

    /**
     * The answer to a request over its share: 429 {@code too-many-requests}, with {@code Retry-After} in whole
     * seconds (at least one) and the detail "{@code reason}; retry after N s".
     */
    public static Response.ResponseBuilder tooManyRequests(Duration wait, String reason) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Response.fromResponse(Problem.of(
                                429,
                                "too-many-requests",
                                "Too many requests",
                                reason + "; retry after " + seconds + " s")
                        .toResponse())
                .header("Retry-After", seconds);
    }

    /** How many keys have a bucket now. */
    int size() {
        return buckets.size();
    }

    void sweep() {
        long now = nanoClock.getAsLong();
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                refill(bucket, now);
                return bucket.tokens >= burst;
            }
        });
    }

    private void refill(Bucket bucket, long now) {
        // A clock read on another thread may lag this bucket's last refill: that is no time passed, not time lost.
        long elapsed = Math.max(0, now - bucket.refilledAt);
        bucket.tokens = Math.min(burst, bucket.tokens + elapsed / 1e9 * perSecond);
        bucket.refilledAt = Math.max(now, bucket.refilledAt);
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
