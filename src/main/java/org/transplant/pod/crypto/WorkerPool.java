package org.transplant.pod.crypto;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The one place where CPU-heavy or blocking work (Argon2id, RSA, image decoding, files) leaves the event loop.
 * Vert.x brings the result back to the caller's context, which Hibernate Reactive needs to go on.
 */
@ApplicationScoped
public class WorkerPool {

    private final Vertx vertx;

    public WorkerPool(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> run(Supplier<T> work) {
        return vertx.executeBlocking(Uni.createFrom().item(work), false);
    }

    /** Work on files, whose IOException fails the Uni. */
    public Uni<Void> files(FileWork work) {
        return run(() -> {
            try {
                work.run();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Blocking file work. */
    @FunctionalInterface
    public interface FileWork {
        void run() throws IOException;
    }
}
