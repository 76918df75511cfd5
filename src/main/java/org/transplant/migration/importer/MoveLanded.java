package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.pod.Handle;

/**
 * Whether the old pod has already carried out a job's move: its WebFinger names the job's new identity as where
 * the account went. That is how a move call whose answer never arrived is recognised (this pod was killed, or the
 * connection dropped, after the old pod committed the move): the move revoked every token of the grant, so the old
 * pod's API answers this pod nothing more, and asking the person to confirm again would only meet "already moved".
 */
@ApplicationScoped
class MoveLanded {

    private final WebFingerClient webFinger;

    MoveLanded(WebFingerClient webFinger) {
        this.webFinger = webFinger;
    }

    /** True only when the old handle's own pod says it moved to exactly the job's new handle. */
    Uni<Boolean> movedHere(ImportJob job) {
        return webFinger
                .lookup(Handle.parse("oldHandle", job.oldHandle()))
                .map(person -> person != null
                        && ("acct:" + job.newHandle())
                                .equalsIgnoreCase(person.property(WebFingerResource.PROP_MOVED_TO)))
                // Nothing known now: the refusal stands as it was.
                .onFailure(WebFingerClient.Unreachable.class)
                .recoverWithItem(false);
    }
}
