package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.transplant.pod.reactive.ReadAhead;

/**
 * The photos each job of this instance reads ahead into its part files while it copies its posts (see
 * {@link PhotoCopier#readAhead}), kept where both the runner and {@link ImportAbort} reach them: whatever ends a job
 * stops its reading ahead first, so no part is written after the job's parts were dropped.
 */
@ApplicationScoped
public class PhotosReadAhead {

    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    /** Starts {@code reading} (given the flag that stops it) for the job, unless one was started already. */
    void startOnce(String jobId, Function<AtomicBoolean, Uni<Void>> reading) {
        readings.computeIfAbsent(jobId, id -> {
            AtomicBoolean stop = new AtomicBoolean();
            return new Reading(stop, ReadAhead.started(reading.apply(stop)));
        });
    }

    /**
     * Once the job's reading ahead (if any) has ended; {@code now}: stopped before its next transfer first. It stays
     * known until it has ended, so an abort meanwhile still reaches it.
     */
    Uni<Void> ended(String jobId, boolean now) {
        Reading reading = readings.get(jobId);
        if (reading == null) {
            return Uni.createFrom().voidItem();
        }
        if (now) {
            reading.stop().set(true);
        }
        return reading.done().invoke(() -> readings.remove(jobId, reading));
    }

    /**
     * Stops the job's reading ahead without waiting, and runs {@code then} (dropping the parts) once it has ended:
     * for an ending that must not wait on transfers in flight (a person calling the import off).
     */
    void stopThen(String jobId, Uni<Void> then) {
        ended(jobId, true).chain(() -> then).subscribe().with(ignored -> {}, ignored -> {});
    }

    private record Reading(AtomicBoolean stop, Uni<Void> done) {}
}
