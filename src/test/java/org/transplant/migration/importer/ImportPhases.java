package org.transplant.migration.importer;

import java.util.List;

/** The runner's phases, in the order it runs them, for tests outside this package (end-to-end crash tests). */
public final class ImportPhases {

    private ImportPhases() {}

    /** "account" first, "move" last, every collection in between. */
    public static List<String> inOrder() {
        return ImportRunner.PHASES;
    }
}
