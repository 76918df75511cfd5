package org.transplant.archive;

/**
 * An archive that is not opened: its reason is a stable code ({@code wrong-password}, {@code damaged},
 * {@code tampered}, {@code bad-signature}, {@code unknown-version}, {@code unsafe-entry}, {@code too-large}) and
 * its message says so to the person. Nothing of it was written where an import reads.
 */
public class ArchiveRefused extends RuntimeException {

    private final String reason;

    public ArchiveRefused(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    static ArchiveRefused damaged(String what) {
        return new ArchiveRefused("damaged", "The archive is damaged or incomplete: " + what);
    }

    static ArchiveRefused unsafe(String what) {
        return new ArchiveRefused("unsafe-entry", "The archive holds an entry this pod does not unpack: " + what);
    }

    static ArchiveRefused tooLarge(String what) {
        return new ArchiveRefused("too-large", "The archive unpacks to more than this pod takes: " + what);
    }
}
