package org.transplant.diaspora;

import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * A diaspora* export that is not imported: its reason is a stable code ({@code damaged}, {@code malformed},
 * {@code missing}, {@code unknown-version}, {@code bad-key}, {@code too-large}, {@code unknown-format}, {@code
 * photos-damaged}) and its message names what is wrong, for the person. Nothing of it was written where an import
 * reads.
 */
public class DiasporaRefused extends RuntimeException {

    private final String reason;

    public DiasporaRefused(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** The 422 the person sees, typed {@code diaspora-<reason>}. */
    public ProblemException problem() {
        return new ProblemException(Problem.of(422, "diaspora-" + reason, "diaspora* export refused", getMessage()));
    }

    static DiasporaRefused missing(String field) {
        return new DiasporaRefused("missing", "The export has no " + field + ", which every diaspora* export has");
    }

    static DiasporaRefused malformed(String what) {
        return new DiasporaRefused("malformed", "The export is not valid: " + what);
    }
}
