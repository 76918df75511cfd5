package org.transplant.pod.account;

/**
 * The life of an account. On the new pod a move takes it from ACTIVE through MOVING (filled by the import) back to
 * ACTIVE; on the old pod from ACTIVE, possibly through a short HOLD (writes wait while the new pod copies the last
 * changes), to MOVED, and later CLOSED.
 */
public enum AccountState {
    ACTIVE,
    HOLD,
    MOVING,
    MOVED,
    CLOSED
}
