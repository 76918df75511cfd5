package org.transplant.migration.importer;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.transplant.federation.NoticeOutcomes;

/** What a person (or a script) sees of an import: its state in words and each collection against its total. */
@TemplateData
public record ImportStatus(
        String id,
        String state,
        String status,
        String oldHandle,
        String newHandle,
        String photos,
        String phase,
        String error,
        List<Collection> collections,
        String connectUrl,
        boolean noticesExpected,
        Notices notices,
        Instant createdAt,
        Instant updatedAt,
        ImportReport.Summary leftOut,
        OldAccountStatus oldAccount) {

    /**
     * What became of an archive's old account ({@link OldAccount}), in this pod's words; {@code choosing} while the
     * person may still close it despite its newer changes, or keep it.
     */
    @TemplateData
    public record OldAccountStatus(String state, String reason, String words, boolean choosing) {
        /** The online move bringing the newer changes, when the person chose it. */
        public String onlineMove() {
            return "via_online_move".equals(state) ? reason : null;
        }

        /** What a backup's import is, told from its start. */
        static final String DATA_ONLY_BACKUP = "This backup holds no private key, so it cannot sign a move: your"
                + " content is copied, but your contacts are not told you moved and the old account stays as it is"
                + " (close it there by hand if you wish).";

        static OldAccountStatus of(ImportJob job) {
            if (job.oldAccount() == null) {
                return null;
            }
            OldAccount state = OldAccount.valueOf(job.oldAccount());
            String reason = job.oldAccountReason();
            String words = switch (state) {
                case CLOSED -> "Your old pod closed your old account, and its old links lead here.";
                case NEWER_CHANGES ->
                    "Your old account changed after the archive was made, so it was left open: closing it now would"
                            + " lose those changes. Bring them here first (an online move from your old pod, which"
                            + " then closes it), close it anyway, or keep it open (it then does not send visitors"
                            + " here).";
                case KEPT_OPEN ->
                    "time-passed".equals(reason)
                            ? "The time to choose passed, so your old account stays open; its old links do not lead"
                                    + " here. Close it there by hand if you wish."
                            : "You kept your old account open; its old links do not lead here.";
                case VIA_ONLINE_MOVE ->
                    "You chose to bring the newer changes from your old pod first: that move copies them and then"
                            + " closes your old account.";
                case NOT_CLOSED -> notClosed(reason);
            };
            return new OldAccountStatus(
                    state.name().toLowerCase(Locale.ROOT),
                    reason,
                    words,
                    state == OldAccount.NEWER_CHANGES && reason == null);
        }

        private static String notClosed(String reason) {
            if ("diaspora-pod".equals(reason)) {
                return "Your old account is on a diaspora* pod, which does not close accounts for other pods: close it"
                        + " there by hand. Your contacts on Transplant pods were told of your move; those on diaspora*"
                        + " pods were not (diaspora*'s own account migration is not sent yet).";
            }
            if ("diaspora-unproven".equals(reason)) {
                return "Your old diaspora* pod did not answer (it may be gone) or did not show your old key, so your"
                        + " old identity could not be checked against it: this was an import of your data, and your contacts on Transplant pods"
                        + " were told of your move (they check it with the key they hold for you). If your old account"
                        + " still exists, close it there by hand.";
            }
            if (OldAccountClosing.BACKUP.equals(reason)) {
                return DATA_ONLY_BACKUP;
            }
            if ("data-only".equals(reason)) {
                return "Your old pod no longer knows your old account, so this was an import of your data only: no"
                        + " one was told of your move.";
            }
            String why = switch (reason == null ? "" : reason) {
                case "unreachable" -> "Your old pod did not answer";
                case "not-known" -> "Your old pod does not know the account, or cannot close it this way";
                case "already-moved" -> "Your old pod says the old account moved elsewhere already";
                case "archive-removed" ->
                    "Your old pod no longer honours this archive (it was removed there, or made before it could"
                            + " tell its archives apart)";
                default -> "Your old pod refused to close your old account";
            };
            return why + ": if it still exists, close it there by hand.";
        }
    }

    @TemplateData
    public record Collection(String name, long done, long total) {}

    /**
     * After the move: how many pods of the person's contacts accepted the old pod's move notice, the verdict
     * (in-progress, complete or needs-attention) and every pod that has not accepted, with its outcome.
     */
    @TemplateData
    public record Notices(String verdict, int accepted, int total, List<Pod> notAccepted) {}

    @TemplateData
    public record Pod(String pod, String state, String outcome) {}

    private static final List<String> SHOWN = List.of(
            "contacts",
            "posts",
            "comments",
            "likes",
            "photos",
            "conversations",
            "messages",
            "tag-followings",
            "notifications");

    static ImportStatus of(ImportJob job) {
        return of(job, null);
    }

    /** With the report of what was left out (how many, and the first {@value ImportReport#SHOWN}). */
    static ImportStatus of(ImportJob job, ImportReport.Summary leftOut) {
        List<Collection> collections = new ArrayList<>();
        for (String name : SHOWN) {
            long done = job.done().getLong(name, 0L);
            long total = total(job.totals(), name, done);
            collections.add(new Collection(name, Math.min(done, total), total));
        }
        return new ImportStatus(
                job.id(),
                job.state().name(),
                words(job),
                job.oldHandle(),
                job.newHandle(),
                job.photoMode().toLowerCase(Locale.ROOT),
                job.phase(),
                job.error(),
                collections,
                JobState.AWAITING_CONSENT.contains(job.state()) ? ImportStart.connectPath(job.id()) : null,
                job.noticesUrl() != null,
                notices(job.notices()),
                job.createdAt(),
                job.updatedAt(),
                leftOut,
                OldAccountStatus.of(job));
    }

    private static Notices notices(JsonObject report) {
        if (report == null) {
            return null;
        }
        // The report comes from the old pod: what does not have the expected shape is left out.
        List<Pod> notAccepted = new ArrayList<>();
        if (report.getValue("pods") instanceof JsonArray pods) {
            for (Object item : pods) {
                if (item instanceof JsonObject pod && !"ACCEPTED".equals(pod.getValue("state"))) {
                    // This pod's sentence for the outcome's code; reports stored before codes carry none.
                    notAccepted.add(new Pod(
                            text(pod, "pod"), text(pod, "state"), NoticeOutcomes.sentence(pod.getValue("reason"))));
                }
            }
        }
        return new Notices(
                text(report, "verdict"), report.getInteger("accepted", 0), report.getInteger("total", 0), notAccepted);
    }

    private static String text(JsonObject object, String field) {
        return object.getValue(field) instanceof String value ? value : null;
    }

    private static long total(JsonObject totals, String name, long done) {
        Object value = totals.getValue(name);
        long total = value instanceof Number n ? n.longValue() : 0;
        // A delta can bring more than the first snapshot counted.
        return Math.max(total, done);
    }

    private static String words(ImportJob job) {
        return switch (job.state()) {
            case REQUESTED -> "Waiting for you to confirm on your old pod.";
            case AUTHORIZED -> "Confirmed; the copy starts in a moment.";
            case IMPORTING ->
                job.error() == null
                        ? "Copying " + (job.phase() == null ? "your account" : job.phase()) + "…"
                        : "Copying " + job.phase() + "; retrying after a problem: " + job.error();
            case FINISHING ->
                job.fromBackup()
                        ? "Everything is copied; finishing."
                        : "Everything is copied; asking your old pod to send visitors here.";
            case DONE ->
                job.fromArchive()
                        ? "Done: your account lives here now."
                        : "Done: your account lives here now, and your old links lead here.";
            case FAILED -> "The move stopped: " + job.error();
            case NEEDS_CONSENT -> "Your old pod no longer accepts this pod; confirm there again to resume.";
            case ABORTED -> "The move was called off; nothing was locked on your old pod.";
        };
    }
}
