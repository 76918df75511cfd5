package org.transplant.migration.move;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.account.AccountPurge;
import org.transplant.pod.account.MovedAway;
import org.transplant.pod.photo.PhotoStore;

/**
 * After the retention period, the old pod drops its copies of a moved account ({@link AccountPurge} says which),
 * and the photo files that were copied to the new pod once that committed. Photos the person chose to keep here
 * (the move named no new photo URL) are never purged.
 */
@ApplicationScoped
public class MovedAccountPurge {

    private static final Logger LOG = Logger.getLogger(MovedAccountPurge.class);

    private final Pool pool;
    private final MovedAway movedAway;
    private final AccountPurge accountPurge;
    private final PhotoStore photos;
    private final Duration retention;

    public MovedAccountPurge(
            Pool pool, MovedAway movedAway, AccountPurge accountPurge, PhotoStore photos, TransplantConfig config) {
        this.pool = pool;
        this.movedAway = movedAway;
        this.accountPurge = accountPurge;
        this.photos = photos;
        this.retention = config.moves().retention();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purgeMovedBefore(retention).replaceWithVoid();
    }

    /** Purges every account that moved longer than {@code age} ago and is not purged yet; returns how many. */
    public Uni<Integer> purgeMovedBefore(Duration age) {
        return movedAway.unpurgedMovedBefore(age).chain(ids -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (long id : ids) {
                chain = chain.chain(() -> purge(id));
            }
            return chain.replaceWith(ids.size());
        });
    }

    /** Purges one moved account now: when its retention ends, or when its owner deletes what is left. */
    Uni<Void> purge(long accountId) {
        return pool.withTransaction(c -> accountPurge.purge(c, accountId))
                .invoke(files -> files.forEach(photos::delete))
                .invoke(files -> LOG.infof(
                        "Purged the old copies of moved account %d (%d photo files)", accountId, files.size()))
                .replaceWithVoid();
    }
}
