package org.transplant.pod.cleanup;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;

/**
 * Deletes stale rows now and then: what strangers leave behind (unused client registrations, expired sessions,
 * spent codes and tokens, old failed log-ins) would otherwise only grow. Each statement deletes one batch, so no
 * pass holds locks for long; a pass stops after {@link #MAX_BATCHES} batches of a kind and the next goes on.
 */
@ApplicationScoped
public class CleanupPass {

    static final int MAX_BATCHES = 100;
    private static final Logger LOG = Logger.getLogger(CleanupPass.class);

    private final List<StaleRows> kinds;
    private final int batch;

    public CleanupPass(Instance<StaleRows> kinds, TransplantConfig config) {
        this.kinds = kinds.stream().toList();
        this.batch = config.limits().cleanupBatch();
    }

    @Scheduled(
            every = "${transplant.limits.cleanup-every:10m}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runOnce().replaceWithVoid();
    }

    /** One pass over every kind of stale rows, one after the other; how many rows of each it deleted. */
    public Uni<Map<String, Integer>> runOnce() {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        return Multi.createFrom()
                .iterable(kinds)
                .onItem()
                .transformToUniAndConcatenate(kind -> deleteAll(kind).invoke(n -> deleted.put(kind.what(), n)))
                .collect()
                .last()
                .map(ignored -> {
                    if (deleted.values().stream().anyMatch(n -> n > 0)) {
                        LOG.infof("Cleanup deleted %s", deleted);
                    }
                    return deleted;
                });
    }

    private Uni<Integer> deleteAll(StaleRows kind) {
        return Multi.createBy()
                .repeating()
                .uni(() -> kind.deleteSome(batch))
                .whilst(n -> n == batch)
                .select()
                .first(MAX_BATCHES)
                .collect()
                .with(Collectors.summingInt(Integer::intValue))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Cleanup of %s failed: %s", kind.what(), e.getMessage());
                    return 0;
                });
    }
}
