package org.transplant.migration.export;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.transplant.config.TransplantConfig;
import org.transplant.web.MonotonicClock;
import org.transplant.web.TokenBuckets;

/**
 * A token bucket per client: {@code burst} requests at once, refilled at {@code requestsPerSecond}. The old pod's
 * load decides whether people can leave it, so every client is held to a fair share (LOLA: 429 + Retry-After).
 */
@ApplicationScoped
public class ClientRateLimiter {

    private final TokenBuckets buckets;

    @Inject
    public ClientRateLimiter(TransplantConfig config, MonotonicClock clock) {
        this(config.migration().requestsPerSecond(), config.migration().burst(), clock::nanoTime);
    }

    ClientRateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        this.buckets = new TokenBuckets(perSecond, burst, nanoClock);
    }

    /** Takes one request from the client's bucket: null when allowed, else how long to wait. */
    public Duration acquire(String clientId) {
        return buckets.acquire(clientId);
    }
}
