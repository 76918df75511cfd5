package org.transplant.backup;

import java.io.PrintStream;

/**
 * What the client is doing, on standard error: on a terminal one line rewritten in place, elsewhere (cron, a
 * systemd timer, a test) a line per step, so a log reads well.
 */
final class Progress {

    private static final PrintStream OUT = System.err;
    private static final boolean TERMINAL = System.console() != null;
    private static boolean dirty;

    private Progress() {}

    /** A count that moves: rewritten in place on a terminal, shown only when done elsewhere. */
    static synchronized void count(String what, long done, long total) {
        if (TERMINAL) {
            OUT.print("\r\033[K" + what + ": " + done + (total > 0 ? " of " + total : ""));
            OUT.flush();
            dirty = true;
        }
    }

    /** A step finished or a notice: always its own line. */
    static synchronized void note(String line) {
        if (dirty) {
            OUT.print("\r\033[K");
            dirty = false;
        }
        OUT.println(line);
    }
}
