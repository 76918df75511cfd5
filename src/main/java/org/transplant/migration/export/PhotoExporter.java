package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.pod.PodUrls;
import org.transplant.pod.database.Rows;

/**
 * The photos collection: each photo's metadata, oldest first, with the post it belongs to and the absolute URL of
 * its bytes ({@link PhotoContentResource}), which the importer checks against {@code sha256}.
 */
@ApplicationScoped
public class PhotoExporter implements CollectionExporter<PhotoRecord> {

    private final Pool pool;
    private final PodUrls urls;

    public PhotoExporter(Pool pool, PodUrls urls) {
        this.pool = pool;
        this.urls = urls;
    }

    @Override
    public String name() {
        return "photos";
    }

    @Override
    public Uni<List<Keyed<PhotoRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        return pool.preparedQuery("SELECT ph.guid, p.guid AS post_guid, ph.public, ph.content_type, ph.size_bytes,"
                        + " ph.sha256, ph.width, ph.height, ph.caption, ph.created_at"
                        + " FROM photos ph LEFT JOIN posts p ON p.id = ph.post_id"
                        + " WHERE ph.account_id = $1 AND ph.seq <= $2 AND ph.seq >= $3"
                        + " AND ph.created_at >= $4 AND ph.created_at <= $5 AND (ph.created_at, ph.guid) > ($6, $7)"
                        + " ORDER BY ph.created_at, ph.guid LIMIT $8")
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
                    List<Keyed<PhotoRecord>> items = new ArrayList<>();
                    rows.forEach(r -> items.add(keyed(r)));
                    return items;
                });
    }

    private Keyed<PhotoRecord> keyed(Row r) {
        String guid = r.getString("guid");
        PhotoRecord record = new PhotoRecord(
                guid,
                r.getString("post_guid"),
                r.getBoolean("public"),
                r.getString("content_type"),
                r.getLong("size_bytes"),
                r.getString("sha256"),
                r.getInteger("width"),
                r.getInteger("height"),
                r.getString("caption"),
                Rows.instant(r, "created_at"),
                urls.url(PhotoContentResource.path(guid)));
        return new Keyed<>(record, record.createdAt(), guid);
    }
}
