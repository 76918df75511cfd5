package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.PodUrls;
import org.transplant.pod.mail.PodMail;

/**
 * The new pod's mail about an import: done, or failed and why (an account that already moved says so); either way,
 * what stayed behind on the old pod and why, as the job's report has it.
 */
@ApplicationScoped
class ImportMail {

    /** Items of the report a mail lists; the progress page has the rest. */
    static final int LISTED = 20;

    private final PodMail mail;
    private final ImportReport report;
    private final PodUrls urls;

    ImportMail(PodMail mail, ImportReport report, PodUrls urls) {
        this.mail = mail;
        this.report = report;
        this.urls = urls;
    }

    Uni<Void> done(ImportJob job) {
        return report.summary(job.id())
                .chain(leftOut -> mail.toOwner(
                        job.accountId(),
                        "Your move to " + job.newHandle() + " is done",
                        "Everything of " + job.oldHandle() + " that could be taken is now at " + job.newHandle()
                                + ".\n\n"
                                + oldAccount(job)
                                + "\n"
                                + leftBehind(job, leftOut)));
    }

    /** What became of the old account: an archive's old pod may have closed it, or not. */
    private String oldAccount(ImportJob job) {
        ImportStatus.OldAccountStatus old = ImportStatus.OldAccountStatus.of(job);
        if (old == null) {
            return "Your old pod sends visitors of your old profile, posts and photos here.";
        }
        return old.choosing() ? old.words() + " Choose on " + urls.url("/import/" + job.id()) : old.words();
    }

    Uni<Void> failed(ImportJob job) {
        String why = job.error() == null ? "an unknown reason" : job.error();
        boolean alreadyMoved = why.contains("already moved");
        return report.summary(job.id())
                .chain(leftOut -> mail.toOwner(
                        job.accountId(),
                        alreadyMoved
                                ? "Your move was refused: the account already moved"
                                : "Your move from " + job.oldHandle() + " failed",
                        "The move of " + job.oldHandle() + " to " + job.newHandle() + " did not finish: " + why + "\n"
                                + leftBehind(job, leftOut)));
    }

    /** The report's part of a mail: nothing when nothing was left out. */
    private String leftBehind(ImportJob job, ImportReport.Summary leftOut) {
        if (leftOut.count() == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n")
                .append(leftOut.count())
                .append(leftOut.count() == 1 ? " item" : " items")
                .append(" from your old pod could not be taken as they were sent, and stayed behind");
        int listed = Math.min(LISTED, leftOut.items().size());
        text.append(leftOut.count() > listed ? "; the first " + listed + ":\n" : ":\n");
        for (ImportReport.LeftOut item : leftOut.items().subList(0, listed)) {
            text.append("- ")
                    .append(oneLine(item.collection()))
                    .append(' ')
                    .append(oneLine(item.key()))
                    .append(": ")
                    .append(oneLine(item.reason()))
                    .append('\n');
        }
        return text.append("The whole list: ")
                .append(urls.url("/import/" + job.id()))
                .append('\n')
                .toString();
    }

    /** Keys and reasons can quote the old pod: one line each, nothing a mail reader would act on. */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
    }
}
