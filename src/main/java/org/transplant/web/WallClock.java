package org.transplant.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The time of day that bounded windows are measured by (how long a moving account's writes are held): a bean of its
 * own so that a test can stop it and move it on, instead of sleeping and racing the window.
 */
@ApplicationScoped
public class WallClock {

    public Instant now() {
        return Instant.now();
    }
}
