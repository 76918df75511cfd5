package org.transplant.web;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The clock the request limits refill by ({@link System#nanoTime()}): a bean of its own so that a test can stop it
 * and see exactly a limit's burst go through, however fast or slow the machine is.
 */
@ApplicationScoped
public class MonotonicClock {

    public long nanoTime() {
        return System.nanoTime();
    }
}
