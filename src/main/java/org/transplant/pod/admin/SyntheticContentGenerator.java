package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.ProblemException;

/**
 * Fills an account with realistic synthetic content (contacts, posts with comments and likes, photos,
 * conversations, tags, notifications, profile) for tests, demos and load measurements. Writes in bulk batches over
 * the plain reactive client; each batch reserves its sequence numbers and commits on its own.
 */
@ApplicationScoped
public class SyntheticContentGenerator {

    private static final Logger LOG = Logger.getLogger(SyntheticContentGenerator.class);
    /** Remote people share a few real RSA keys: enough to look real, cheap to make. */
    private static final int CONTACT_KEYS = 4;

    private final Pool pool;
    private final WorkerPool workers;
    private final ContactWriter contacts;
    private final PostWriter posts;
    private final PhotoWriter photos;
    private final ConversationWriter conversations;
    private final AccountExtrasWriter extras;

    public SyntheticContentGenerator(
            Pool pool,
            WorkerPool workers,
            ContactWriter contacts,
            PostWriter posts,
            PhotoWriter photos,
            ConversationWriter conversations,
            AccountExtrasWriter extras) {
        this.pool = pool;
        this.workers = workers;
        this.contacts = contacts;
        this.posts = posts;
        this.photos = photos;
        this.conversations = conversations;
        this.extras = extras;
    }

    /** Checks a request; throws a problem naming the first field out of bounds. */
    public static SyntheticContentRequest validate(SyntheticContentRequest request) {
        return SyntheticContentRules.check(request);
    }

    /**
     * Writes the requested content into the account. Times end at the start of the current UTC day, so the same
     * seed gives the same times all day long.
     */
    public Uni<SyntheticContentResult> generate(long accountId, String ownerHandle, SyntheticContentRequest request) {
        return generate(accountId, ownerHandle, request, Instant.now().truncatedTo(ChronoUnit.DAYS));
    }

    /** As above, with the newest possible content time given (tests pin it). */
    Uni<SyntheticContentResult> generate(
            long accountId, String ownerHandle, SyntheticContentRequest request, Instant end) {
        SyntheticContentRequest checked = validate(request);
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return startRun(accountId, ownerHandle, checked, end)
                    .call(this::makeKeys)
                    .call(contacts::write)
                    .call(posts::write)
                    .call(photos::write)
                    .call(conversations::write)
                    .call(extras::write)
                    .map(run -> run.tally.toResult((System.nanoTime() - started) / 1_000_000))
                    .invoke(result -> LOG.infof(
                            "Generated synthetic content for account %d in %d ms: %s",
                            accountId, result.elapsedMillis(), result));
        });
    }

    private Uni<SyntheticRun> startRun(
            long accountId, String ownerHandle, SyntheticContentRequest request, Instant end) {
        return pool.preparedQuery("SELECT guid FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("The account");
                    }
                    return rows.iterator().next().getString("guid");
                })
                .chain(accountGuid -> pool.preparedQuery("SELECT id FROM aspects WHERE account_id = $1 ORDER BY id")
                        .execute(Tuple.of(accountId))
                        .map(rows -> {
                            List<Long> aspectIds = new ArrayList<>();
                            for (Row row : rows) {
                                aspectIds.add(row.getLong("id"));
                            }
                            return new SyntheticRun(accountId, accountGuid, ownerHandle, request, aspectIds, end);
                        }));
    }

    /** RSA keys take a few hundred milliseconds each: made in parallel on the worker pool, only when needed. */
    private Uni<Void> makeKeys(SyntheticRun run) {
        if (run.request.contacts() == 0) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<String>> keys = new ArrayList<>();
        for (int i = 0; i < CONTACT_KEYS; i++) {
            keys.add(workers.run(
                    () -> KeyPairs.generate(2048, new SecureRandom()).publicKeyPem()));
        }
        return Uni.join()
                .all(keys)
                .andFailFast()
                .invoke(pems -> run.publicKeys = List.copyOf(pems))
                .replaceWithVoid();
    }
}
