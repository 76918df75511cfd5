package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.migration.api.ExportRecords.TagFollowingRecord;
import org.transplant.pod.database.Rows;

/** The tag-followings collection: the tags the account follows, oldest first, keyed by tag. */
@ApplicationScoped
public class TagFollowingExporter implements CollectionExporter<TagFollowingRecord> {

    private final Pool pool;

    public TagFollowingExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "tag-followings";
    }

    @Override
    public Uni<List<Keyed<TagFollowingRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        return pool.preparedQuery("SELECT tag, created_at FROM tag_followings"
                        + " WHERE account_id = $1 AND seq <= $2 AND seq >= $3 AND created_at >= $4 AND created_at <= $5"
                        + " AND (created_at, tag) > ($6, $7) ORDER BY created_at, tag LIMIT $8")
                .execute(Tuple.from(Arrays.asList(
                        scope.accountId(),
                        window.snapshot(),
                        window.fromSeq(),
                        ExportSql.since(window),
                        ExportSql.until(window),
                        ExportSql.afterTime(after),
                        ExportSql.afterKey(after),
                        limit)))
                .map(rows -> {
                    List<Keyed<TagFollowingRecord>> items = new ArrayList<>();
                    rows.forEach(r -> {
                        TagFollowingRecord record =
                                new TagFollowingRecord(r.getString("tag"), Rows.instant(r, "created_at"));
                        items.add(new Keyed<>(record, record.createdAt(), record.tag()));
                    });
                    return items;
                });
    }
}
