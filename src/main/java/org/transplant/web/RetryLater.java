package org.transplant.web;

import java.time.Duration;

/**
 * A write that cannot be taken right now but will be soon: 503 with {@code Retry-After} in whole seconds (an account
 * held for a moment while it moves, two transactions that PostgreSQL had to part).
 */
public class RetryLater extends ProblemException {

    private final long retryAfterSeconds;

    public RetryLater(String slug, String detail, Duration wait) {
        super(Problem.of(503, slug, "Service unavailable", detail));
        this.retryAfterSeconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
