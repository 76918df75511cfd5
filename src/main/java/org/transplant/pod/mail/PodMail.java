package org.transplant.pod.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Mail to the owner of an account. It goes to the log unless SMTP is configured ({@code quarkus.mailer.*}); a mail
 * that cannot be sent is logged and never fails the work it reports on.
 */
@ApplicationScoped
public class PodMail {

    private static final Logger LOG = Logger.getLogger(PodMail.class);

    private final ReactiveMailer mailer;
    private final Pool pool;

    public PodMail(ReactiveMailer mailer, Pool pool) {
        this.mailer = mailer;
        this.pool = pool;
    }

    public Uni<Void> toOwner(long accountId, String subject, String text) {
        return pool.preparedQuery("SELECT email FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().voidItem();
                    }
                    String to = rows.iterator().next().getString(0);
                    return mailer.send(Mail.withText(to, subject, text))
                            .onFailure()
                            .invoke(e -> LOG.warnf(
                                    "Mail \"%s\" to account %d not sent: %s", subject, accountId, e.getMessage()))
                            .onFailure()
                            .recoverWithNull();
                });
    }
}
