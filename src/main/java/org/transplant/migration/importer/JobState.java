package org.transplant.migration.importer;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of an import job (the column {@code import_jobs.state}, checked by the schema). Only {@link ImportJobs}
 * writes them; the sets below are the only groupings the code asks about.
 */
public enum JobState {
    /** Started; waiting for the person to confirm on the old pod. */
    REQUESTED,
    /** Confirmed; the runner takes it next. */
    AUTHORIZED,
    /** The runner copies collections. */
    IMPORTING,
    /** Everything is copied; the move call to the old pod is under way. */
    FINISHING,
    /** The old pod no longer takes this pod's tokens; the person must confirm again. */
    NEEDS_CONSENT,
    DONE,
    FAILED,
    ABORTED;

    /** What the runner claims and steps. */
    public static final Set<JobState> RUNNING = EnumSet.of(AUTHORIZED, IMPORTING, FINISHING);

    /** Not ended: the new account is moving and takes no content of its own. */
    public static final Set<JobState> UNDER_WAY =
            EnumSet.of(REQUESTED, AUTHORIZED, IMPORTING, FINISHING, NEEDS_CONSENT);

    /** Waiting for tokens from the old pod's consent. */
    public static final Set<JobState> AWAITING_CONSENT = EnumSet.of(REQUESTED, NEEDS_CONSENT);

    /** What the person may still call off: once the move call is under way, the old pod may already have moved. */
    public static final Set<JobState> ABORTABLE = EnumSet.of(REQUESTED, AUTHORIZED, IMPORTING, NEEDS_CONSENT);

    /** The account came from the old pod (or is just coming: the move call is under way). */
    public static final Set<JobState> MOVED_IN = EnumSet.of(FINISHING, DONE);

    /** The job's ends. */
    public static final Set<JobState> ENDS = EnumSet.of(DONE, FAILED);

    public boolean running() {
        return RUNNING.contains(this);
    }

    /** The states as an SQL list, {@code ('A', 'B')}: names of this enum only, never input. */
    static String sql(Set<JobState> states) {
        return states.stream().map(state -> "'" + state.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
