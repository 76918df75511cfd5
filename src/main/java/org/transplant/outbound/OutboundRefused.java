package org.transplant.outbound;

/**
 * A request this pod will not make, or an answer it stopped reading: a private address, plain http off loopback, a
 * body over the cap, a deadline passed. The message says why in words a person can read and never quotes the remote
 * answer.
 */
public class OutboundRefused extends RuntimeException {

    private final boolean passing;

    public OutboundRefused(String message) {
        this(message, false);
    }

    /** {@code passing}: the same request may well succeed later (a deadline passed, a name did not resolve). */
    public OutboundRefused(String message, boolean passing) {
        super(message, null, false, false);
        this.passing = passing;
    }

    public boolean passing() {
        return passing;
    }

    /** The host's name has no address (it does not resolve): the pod is gone, or never was. */
    public static final class NoAddress extends OutboundRefused {
        public NoAddress(String host) {
            super(host + " has no address", true);
        }
    }

    /** The answer was longer than this pod reads: it stopped reading and closed the connection. */
    public static final class TooLarge extends OutboundRefused {
        public TooLarge(String message) {
            super(message);
        }
    }
}
