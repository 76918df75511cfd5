package org.transplant.migration.export;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.migration.api.MigrationPage;
import org.transplant.migration.export.CollectionExporter.Keyed;
import org.transplant.migration.export.CollectionExporter.Position;
import org.transplant.migration.export.CollectionExporter.Window;
import org.transplant.pod.reactive.ReadAhead;
import org.transplant.web.ProblemException;

/**
 * Pages and streams of any collection. Every read is keyset (never OFFSET), so the ten-thousandth page costs what
 * the first costs; a stream is the same reads chained with back-pressure, so the pod never holds a collection.
 */
@ApplicationScoped
public class Exports {

    static final int STREAM_BATCH = 1000;

    private final Pool pool;

    public Exports(Pool pool) {
        this.pool = pool;
    }

    /** The account's current change sequence and the time: the snapshot a new export reads up to. */
    public Uni<Snapshot> currentSnapshot(long accountId) {
        return pool.preparedQuery("SELECT last_seq, now() FROM accounts WHERE id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Snapshot(row.getLong(0), row.getOffsetDateTime(1).toInstant());
                });
    }

    /** A snapshot: a change sequence and when it was read. */
    public record Snapshot(long seq, Instant at) {}

    public <T> Uni<MigrationPage<T>> page(CollectionExporter<T> exporter, ExportScope scope, ExportQuery query) {
        return window(exporter, scope, query).chain(window -> {
            Position after = query.cursor() == null
                    ? null
                    : new Position(query.cursor().createdAt(), query.cursor().key());
            return exporter.fetch(scope, window, after, query.limit() + 1).map(items -> {
                boolean more = items.size() > query.limit();
                List<Keyed<T>> shown = more ? items.subList(0, query.limit()) : items;
                String next = null;
                if (more) {
                    Keyed<T> last = shown.get(shown.size() - 1);
                    next = new ExportCursor(
                                    exporter.name(),
                                    window.snapshot(),
                                    window.snapshotAt(),
                                    last.createdAt(),
                                    last.key())
                            .encode();
                }
                return new MigrationPage<>(
                        MigrationFormat.VERSION,
                        exporter.name(),
                        window.snapshot(),
                        shown.stream().map(Keyed::item).toList(),
                        next);
            });
        });
    }

    /**
     * Every item from the cursor (or the start) to the end, a batch at a time as the client reads: one batch is
     * one read and a few writes to the connection, never the whole collection. The next batch is read while this
     * one is written (at most two in memory), so the database and the pod work side by side.
     */
    public <T> Multi<List<T>> stream(CollectionExporter<T> exporter, ExportScope scope, ExportQuery query) {
        return window(exporter, scope, query).onItem().transformToMulti(window -> {
            Position start = query.cursor() == null
                    ? null
                    : new Position(query.cursor().createdAt(), query.cursor().key());
            AtomicReference<Uni<List<Keyed<T>>>> next =
                    new AtomicReference<>(ReadAhead.started(exporter.fetch(scope, window, start, STREAM_BATCH)));
            return Multi.createBy()
                    .repeating()
                    .uni(() -> next.get().invoke(batch -> {
                        if (batch.size() < STREAM_BATCH) {
                            next.set(Uni.createFrom().item(List.of()));
                        } else {
                            Keyed<T> last = batch.get(batch.size() - 1);
                            next.set(ReadAhead.started(exporter.fetch(
                                    scope, window, new Position(last.createdAt(), last.key()), STREAM_BATCH)));
                        }
                    }))
                    .until(List::isEmpty)
                    .map(batch -> batch.stream().map(Keyed::item).toList());
        });
    }

    private Uni<Window> window(CollectionExporter<?> exporter, ExportScope scope, ExportQuery query) {
        Instant since = scope.from(query.since());
        Instant until = scope.until(query.until());
        if (query.cursor() != null) {
            return Uni.createFrom()
                    .item(new Window(
                            query.cursor().snapshot(),
                            query.cursor().snapshotAt(),
                            since,
                            until,
                            query.changedAfter()));
        }
        return currentSnapshot(scope.accountId()).map(current -> {
            if (query.snapshot() != null && query.snapshot() > current.seq()) {
                throw ProblemException.badRequest(
                        "invalid-parameter",
                        "snapshot " + query.snapshot() + " is newer than this account's changes (" + current.seq()
                                + ")");
            }
            // A snapshot named by the client has no known time; its pages then repeat byte for byte (ETag).
            return query.snapshot() == null
                    ? new Window(current.seq(), current.at(), since, until, query.changedAfter())
                    : new Window(query.snapshot(), null, since, until, query.changedAfter());
        });
    }
}
