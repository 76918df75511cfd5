package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What finishes an archive's import once its content is here: the old pod is asked to close the old account (it
 * may be alive), then the contacts' pods are told (it may be dead, so this pod tells them itself), unless the old
 * account stays open for now (the person chooses first) or its pod contradicts the archive.
 */
@ApplicationScoped
public class ArchiveEnd {

    private final OldAccountClosing closing;
    private final ArchiveMoveNotices notices;

    public ArchiveEnd(OldAccountClosing closing, ArchiveMoveNotices notices) {
        this.closing = closing;
        this.notices = notices;
    }

    /** Answers where the fate of the move notices is read, or null when none were sent. */
    Uni<String> finish(ImportJob job) {
        return closing.askOldPod(job)
                .chain(outcome -> outcome.tellContacts()
                        ? notices.send(job)
                        : Uni.createFrom().nullItem());
    }
}
