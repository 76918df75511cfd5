package org.transplant.pod.reactive;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps a job's lease while its holder works on it: a step can take longer than one lease (a large archive, a slow
 * old pod's page or photos), and without renewal another instance would take the job over meanwhile. Renews every
 * third of the lease, and remembers when a renewal found the lease no longer this holder's.
 */
public final class LeaseHeartbeat {

    private final Vertx vertx;
    private final long timer;
    private volatile boolean lost;

    private LeaseHeartbeat(Vertx vertx, Duration lease, Supplier<Uni<Boolean>> renew, Consumer<Throwable> failed) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(
                Math.max(1000, lease.toMillis() / 3),
                tick -> renew.get().subscribe().with(this::held, failed));
    }

    /**
     * Starts renewing. {@code renew} answers whether the lease is still the holder's; a renewal that fails (the
     * database away for a moment) goes to {@code failed}, and the next tick tries again.
     */
    public static LeaseHeartbeat start(
            Vertx vertx, Duration lease, Supplier<Uni<Boolean>> renew, Consumer<Throwable> failed) {
        return new LeaseHeartbeat(vertx, lease, renew, failed);
    }

    /** Notes what the holder's own last write of the job found: false means the lease is someone else's now. */
    public void held(boolean mine) {
        if (!mine) {
            lost = true;
        }
    }

    /** True once a renewal or a write found the lease taken. */
    public boolean lost() {
        return lost;
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }
}
