package org.transplant.migration.export;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.transplant.config.TransplantConfig;

/**
 * A token bucket per client: {@code burst} requests at once, refilled at {@code requestsPerSecond}. The old pod's
 * load decides whether people can leave it, so every client is held to a fair share (LOLA: 429 + Retry-After).
 */
@ApplicationScoped
public class ClientRateLimiter {

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public ClientRateLimiter(TransplantConfig config) {
        this(config.migration().requestsPerSecond(), config.migration().burst(), System::nanoTime);
    }

    ClientRateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one request from the client's bucket: null when allowed, else how long to wait. */
    public Duration acquire(String clientId) {
        Bucket bucket = buckets.computeIfAbsent(clientId, id -> new Bucket(burst, nanoClock.getAsLong()));
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * perSecond);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return null;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9));
        }
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
