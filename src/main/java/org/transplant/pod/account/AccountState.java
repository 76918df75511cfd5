package org.transplant.pod.account;

/** The life of an account; a move takes it from ACTIVE through MOVING to MOVED. */
public enum AccountState {
    ACTIVE,
    MOVING,
    MOVED,
    CLOSED
}
