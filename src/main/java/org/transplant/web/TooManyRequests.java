package org.transplant.web;

import java.time.Duration;

/** A client over its share: 429 {@code too-many-requests}, answered with {@code Retry-After} in whole seconds. */
public class TooManyRequests extends ProblemException {

    private final long retryAfterSeconds;

    public TooManyRequests(Duration wait, String reason) {
        this(Math.max(1, (wait.toMillis() + 999) / 1000), reason);
    }

    private TooManyRequests(long seconds, String reason) {
        super(Problem.of(429, "too-many-requests", "Too many requests", reason + "; retry after " + seconds + " s"));
        this.retryAfterSeconds = seconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
