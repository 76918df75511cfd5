package org.transplant.pod.reactive;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One pass of a background worker at a time (the import runner, notice delivery, report reading): a tick that comes
 * while a pass runs is skipped. A pass that fails is logged, except while the pod stops, when its database pool is
 * closing under it.
 */
public final class OnePass {

    private static volatile boolean stopping;

    private final AtomicBoolean busy = new AtomicBoolean();
    private final Logger log;
    private final String what;

    public OnePass(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Starts {@code pass} unless one is running. */
    public void run(Supplier<Uni<Void>> pass) {
        if (stopping || !busy.compareAndSet(false, true)) {
            return;
        }
        pass.get().onTermination().invoke(() -> busy.set(false)).subscribe().with(ignored -> {}, e -> {
            if (stopping) {
                log.debugf("%s stopped with the pod: %s", what, e.getMessage());
            } else {
                log.errorf(e, "%s stopped on an unexpected failure", what);
            }
        });
    }

    /** Observes the pod stopping (a bean method, so that CDI calls it; the flag is shared by every worker). */
    @ApplicationScoped
    public static class Lifecycle {
        void onStop(@Observes ShutdownEvent event) {
            stopping = true;
        }
    }
}
