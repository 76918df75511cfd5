package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.transplant.federation.MoveOutbox;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Accounts;

/**
 * The end of an archive's import: the old pod may be dead, so this pod tells the pods of the person's contacts in
 * its stead, with a move notice signed by the old key the archive held (each of those pods checks it against the
 * key it holds for the old identity). The notices are written with the old key forgotten, in one transaction.
 */
@ApplicationScoped
public class ArchiveMoveNotices {

    private final Pool pool;
    private final MoveOutbox outbox;
    private final Accounts accounts;
    private final ImportJobs jobs;
    private final PodUrls urls;

    public ArchiveMoveNotices(Pool pool, MoveOutbox outbox, Accounts accounts, ImportJobs jobs, PodUrls urls) {
        this.pool = pool;
        this.outbox = outbox;
        this.accounts = accounts;
        this.jobs = jobs;
        this.urls = urls;
    }

    /** Queues the notices of {@code job}'s move; answers where their fate is read, or null when there is no key. */
    Uni<String> send(ImportJob job) {
        if (job.oldKeySealed() == null) {
            return Uni.createFrom().nullItem();
        }
        return accounts.keyed(job.accountId())
                .chain(account -> pool.withTransaction(c -> outbox.enqueueForArchive(
                                c,
                                new MoveOutbox.Move(
                                        job.accountId(),
                                        account.username(),
                                        job.oldKeySealed(),
                                        Handle.parse("newHandle", job.newHandle()),
                                        account.publicKeyPem(),
                                        urls.url("/u/" + account.username()),
                                        Instant.now()),
                                Handle.parse("oldHandle", job.oldHandle()))
                        .call(() -> jobs.forgetOldKey(c, job.id()))));
    }
}
