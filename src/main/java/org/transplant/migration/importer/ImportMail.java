package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.mail.PodMail;

/** The new pod's mail about an import: done, or failed and why (an account that already moved says so). */
@ApplicationScoped
class ImportMail {

    private final PodMail mail;

    ImportMail(PodMail mail) {
        this.mail = mail;
    }

    Uni<Void> done(ImportJob job) {
        return mail.toOwner(
                job.accountId(),
                "Your move to " + job.newHandle() + " is done",
                "Everything of " + job.oldHandle() + " is now at " + job.newHandle() + ".\n\n"
                        + "Your old pod sends visitors of your old profile, posts and photos here.\n");
    }

    Uni<Void> failed(ImportJob job) {
        String why = job.error() == null ? "an unknown reason" : job.error();
        boolean alreadyMoved = why.contains("already moved");
        return mail.toOwner(
                job.accountId(),
                alreadyMoved
                        ? "Your move was refused: the account already moved"
                        : "Your move from " + job.oldHandle() + " failed",
                "The move of " + job.oldHandle() + " to " + job.newHandle() + " did not finish: " + why + "\n");
    }
}
