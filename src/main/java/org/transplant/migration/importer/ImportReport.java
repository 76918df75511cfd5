package org.transplant.migration.importer;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-item report of an import: what was left out of the account and why. Rows are written with the caller's
 * connection, so they commit with the page they came with (a page read again after a crash reports nothing twice).
 */
@ApplicationScoped
public class ImportReport {

    /** Items shown in a status: the count is always whole, the list is the first ones only. */
    static final int SHOWN = 100;

    private static final int MAX_KEY = 200;
    private static final int MAX_REASON = 500;

    /** One item left out: its collection (posts, comments, photos…), its key (a guid, a handle) and why. */
    public record LeftOut(String collection, String key, String reason) {}

    /** What a status shows: how many items were left out, and the first of them. */
    @TemplateData
    public record Summary(long count, List<LeftOut> items) {}

    private final Pool pool;

    public ImportReport(Pool pool) {
        this.pool = pool;
    }

    /** Reports one item, inside the caller's transaction (the photos' checks call this too). */
    public Uni<Void> leftOut(SqlConnection c, String jobId, String collection, String key, String reason) {
        return leftOut(c, jobId, List.of(new LeftOut(collection, key, reason)));
    }

    public Uni<Void> leftOut(SqlConnection c, String jobId, List<LeftOut> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = items.size();
        String[] collections = new String[n], keys = new String[n], reasons = new String[n];
        for (int i = 0; i < n; i++) {
            LeftOut item = items.get(i);
            collections[i] = item.collection();
            // Keys and reasons can quote what the old pod sent: bounded, so a report never outgrows its page.
            keys[i] = cut(item.key() == null ? "" : item.key(), MAX_KEY);
            reasons[i] = cut(item.reason(), MAX_REASON);
        }
        return c.preparedQuery("INSERT INTO import_left_out (job_id, collection, item_key, reason)"
                        + " SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[]) AS u")
                .execute(Tuple.of(jobId, collections, keys, reasons))
                .replaceWithVoid();
    }

    public Uni<Summary> summary(String jobId) {
        return pool.preparedQuery("SELECT collection, item_key, reason, count(*) OVER () FROM import_left_out"
                        + " WHERE job_id = $1 ORDER BY id LIMIT " + SHOWN)
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    List<LeftOut> items = new ArrayList<>();
                    long count = 0;
                    for (var row : rows) {
                        items.add(new LeftOut(row.getString(0), row.getString(1), row.getString(2)));
                        count = row.getLong(3);
                    }
                    return new Summary(count, items);
                });
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
