package org.transplant.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for a state, not for a time: looks again and again until what it sees is the state asked for, and fails
 * with the last thing it saw when a state that can never lead there shows up, or after a patience far beyond any
 * honest wait (a loaded machine is slow, not stuck; the build's own timeout stays the last word).
 */
public final class Until {

    public static final Duration PATIENCE = Duration.ofMinutes(10);

    private Until() {}

    /** Looks until {@code reached} holds for what {@code look} sees; answers that. */
    public static <T> T seen(String what, Callable<T> look, Predicate<T> reached) throws Exception {
        return seen(what, look, reached, seen -> false);
    }

    /** As {@link #seen(String, Callable, Predicate)}, failing at once on what {@code hopeless} recognises. */
    public static <T> T seen(String what, Callable<T> look, Predicate<T> reached, Predicate<T> hopeless)
            throws Exception {
        Instant giveUp = Instant.now().plus(PATIENCE);
        T seen = look.call();
        while (!reached.test(seen)) {
            if (hopeless.test(seen)) {
                throw new AssertionError(what + ": cannot get there any more; last seen: " + seen);
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError(what + ": not there after " + PATIENCE + "; last seen: " + seen);
            }
            Thread.sleep(200);
            seen = look.call();
        }
        return seen;
    }
}
