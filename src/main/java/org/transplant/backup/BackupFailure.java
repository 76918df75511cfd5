package org.transplant.backup;

/**
 * Why a command stopped, in words for the person at the terminal, with the exit status a script (cron, a systemd
 * timer) can tell apart. Nothing already written is lost: a pull resumes from its last checkpoint.
 */
final class BackupFailure extends RuntimeException {

    /** The exit statuses, documented in the README. */
    enum Kind {
        /** Anything else: a folder that cannot be written, an answer this client cannot read. */
        FAILED(1),
        /** The command line was wrong. */
        USAGE(2),
        /** The pod no longer honours the backup's authorization (revoked, expired, the account moved): run init. */
        CONSENT(3),
        /** The folder holds another account's backup, or one of another time span, than the authorization gives. */
        MISMATCH(4),
        /** The pod did not answer, or kept answering errors, for longer than the client waits. */
        POD_UNREACHABLE(5);

        final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    BackupFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    BackupFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
