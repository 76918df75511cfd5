package org.transplant.federation;

import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.config.TransplantConfig;
import org.transplant.web.MonotonicClock;
import org.transplant.web.TokenBuckets;

/** The inbox's share per sending address (one pod instance's count). */
@ApplicationScoped
public class InboxLimits {

    private final TokenBuckets senders;

    public InboxLimits(TransplantConfig config, MonotonicClock clock) {
        this.senders = new TokenBuckets(
                config.federation().inboxRequestsPerSecond(),
                config.federation().inboxBurst(),
                clock::nanoTime);
    }

    TokenBuckets senders() {
        return senders;
    }
}
