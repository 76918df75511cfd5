package org.transplant.archive;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.account.SignUpRules;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.mail.PodMail;
import org.transplant.pod.session.SessionService;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** A person's ask for an archive: the password checked, the photo choice read, the job queued. */
@ApplicationScoped
public class ArchiveRequests {

    /**
     * The shortest archive password: an archive can be attacked offline, without a pod's log-in limits, so it asks
     * for more than an account's password.
     */
    static final int MIN_PASSWORD = 12;

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /**
     * The body: the archive's password, the photo choice ({@code included} or {@code left-out}) and the account's
     * own password, asked again.
     */
    public record Request(String password, String photos, String accountPassword) {
        @Override
        public String toString() {
            return "Request[photos=" + photos + "]";
        }
    }

    private final Archives archives;
    private final SecretBox secrets;
    private final ArchiveMaker maker;
    private final TransplantConfig config;
    private final SessionService sessions;
    private final PodMail mail;

    public ArchiveRequests(
            Archives archives,
            SecretBox secrets,
            ArchiveMaker maker,
            TransplantConfig config,
            SessionService sessions,
            PodMail mail) {
        this.sessions = sessions;
        this.mail = mail;
        this.archives = archives;
        this.secrets = secrets;
        this.maker = maker;
        this.config = config;
    }

    /**
     * Queues the archive once the account's password checks out (wrong ones count as failed log-ins of the account
     * and of {@code clientAddress}), and tells the person by mail, so that an archive they did not ask for is seen.
     */
    Uni<ArchiveJob> ask(SignedIn me, Request request, String clientAddress) {
        if (request == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with the archive's password is required");
        }
        SignUpRules.checkPassword(
                request.password(),
                me.username(),
                Math.max(MIN_PASSWORD, config.accounts().minPasswordLength()));
        PhotoChoice photos = choice(request.photos());
        return sessions.checkPassword(me.accountId(), request.accountPassword(), clientAddress)
                .invoke(matches -> {
                    if (!matches) {
                        throw ProblemException.forbidden(
                                "wrong-password", "That is not this account's password; an archive needs it again");
                    }
                })
                .chain(() -> archives.create(me.accountId(), photos, secrets.seal(request.password())))
                .call(job -> mail.toOwner(
                        me.accountId(),
                        "An archive of your account was asked for",
                        "Someone signed in as you, with your password, asked for an archive of your account. It holds"
                                + " everything, your private key included. If that was not you, remove it at once,"
                                + " signed in, under \"Download my account\" (or DELETE " + "/api/v1/archives/"
                                + job.id() + "), and change your password."))
                .invoke(() -> maker.tick());
    }

    private PhotoChoice choice(String value) {
        PhotoChoice photos;
        try {
            photos = value == null ? PhotoChoice.INCLUDED : PhotoChoice.of(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("photos", "must be included, linked or left-out");
        }
        if (photos == PhotoChoice.LINKED && !config.archives().linkedPhotos()) {
            throw ProblemException.invalid(
                    "photos", "this pod does not keep photos for archives to link (its admin turned it off)");
        }
        return photos;
    }

    /** The name a download is saved under. */
    static String fileName(ArchiveJob job) {
        return "transplant-archive-" + DAY.format(job.createdAt()) + "-" + job.id() + ".tar";
    }
}
