package org.transplant.testing;

import io.quarkus.test.junit.QuarkusMock;
import org.transplant.web.MonotonicClock;

/**
 * Stops the clock the request limits refill by, for the rest of the current test method: a limit then lets exactly
 * what is left of its burst through, whatever the speed of the machine.
 */
public final class StoppedClock extends MonotonicClock {

    private final long at = System.nanoTime();

    private StoppedClock() {}

    public static void install() {
        QuarkusMock.installMockForType(new StoppedClock(), MonotonicClock.class);
    }

    @Override
    public long nanoTime() {
        return at;
    }
}
