package org.transplant.migration.importer;

/** What became of an archive's old account (the job's column {@code old_account}). */
public enum OldAccount {
    /** The old pod closed it, and sends its old URLs here. */
    CLOSED,
    /** It changed after the archive was made: the person chooses to close it anyway, or to keep it. */
    NEWER_CHANGES,
    /** The person chose to keep it. */
    KEPT_OPEN,
    /** The person chose to bring its newer changes through an online move (the reason names that job). */
    VIA_ONLINE_MOVE,
    /** The old pod did not close it (dead, not a Transplant pod, refusing): the person closes it by hand. */
    NOT_CLOSED
}
