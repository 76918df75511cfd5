package org.transplant.testing;

import io.quarkus.test.junit.QuarkusMock;
import java.time.Duration;
import java.time.Instant;
import org.transplant.web.WallClock;

/**
 * A wall clock that stands still until the test moves it, for the rest of the current test method: a bounded window
 * (a move's hold of an account's writes) then ends exactly when the test says, never by racing a timer.
 */
public final class SteppedWallClock extends WallClock {

    private volatile Instant now = Instant.now();

    private SteppedWallClock() {}

    public static SteppedWallClock install() {
        SteppedWallClock clock = new SteppedWallClock();
        QuarkusMock.installMockForType(clock, WallClock.class);
        return clock;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant now() {
        return now;
    }
}
