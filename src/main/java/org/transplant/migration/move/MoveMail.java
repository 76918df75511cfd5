package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.migration.api.MoveResult;
import org.transplant.migration.api.Revocation;
import org.transplant.pod.mail.PodMail;

/** The old pod's mail to the person whose account just moved away. */
@ApplicationScoped
class MoveMail {

    private final PodMail mail;

    MoveMail(PodMail mail) {
        this.mail = mail;
    }

    Uni<Void> moved(long accountId, MoveResult result) {
        return mail.toOwner(
                accountId,
                "Your account moved to " + result.newHandle(),
                "Your account " + result.oldHandle() + " moved to " + result.newHandle() + ".\n\n"
                        + "Its posts, photos and profile on this pod now send visitors to the new pod, and it takes no"
                        + " new posts, comments or messages here. The app that moved it no longer has access.\n");
    }

    Uni<Void> closedByArchive(long accountId, Revocation.Closed result) {
        return mail.toOwner(
                accountId,
                "Your account moved to " + result.newHandle(),
                "Your account " + result.oldHandle() + " moved to " + result.newHandle() + ", which imported its"
                        + " archive and asked this pod to close it, signed with the account's own key.\n\n"
                        + "Its posts, photos and profile on this pod now send visitors to the new pod, and it takes no"
                        + " new posts, comments or messages here. If you did not move, someone holds your archive"
                        + " and its password: tell this pod's admin.\n");
    }
}
