package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transplant.migration.api.ExportRecords.ContactRecord;
import org.transplant.pod.database.Rows;

/**
 * The contacts collection: everyone the account knows, oldest first, with the key and name stored with the contact
 * (what a new pod needs to keep talking to them) and the names of the aspects they are in.
 */
@ApplicationScoped
public class ContactExporter implements CollectionExporter<ContactRecord> {

    private final Pool pool;

    public ContactExporter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "contacts";
    }

    @Override
    public Uni<List<Keyed<ContactRecord>>> fetch(ExportScope scope, Window window, Position after, int limit) {
        // A contact's seq is restamped by every change (follow, block, aspects), so a contact changed after the
        // snapshot leaves the snapshot's pages and comes with the delta after it, as posts do.
        return pool.preparedQuery("SELECT c.handle, c.person_guid, c.display_name, c.public_key_pem, c.following,"
                        + " c.follower, c.blocked, c.created_at,"
                        + " ARRAY(SELECT a.name FROM contact_aspects ca JOIN aspects a ON a.id = ca.aspect_id"
                        + " WHERE ca.contact_id = c.id ORDER BY a.name) AS aspects"
                        + " FROM contacts c WHERE c.account_id = $1 AND c.seq <= $2 AND c.seq >= $3"
                        + " AND c.created_at >= $4 AND c.created_at <= $5 AND (c.created_at, c.handle) > ($6, $7)"
                        + " ORDER BY c.created_at, c.handle LIMIT $8")
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
                    List<Keyed<ContactRecord>> items = new ArrayList<>();
                    rows.forEach(r -> items.add(keyed(r)));
                    return items;
                });
    }

    private static Keyed<ContactRecord> keyed(Row r) {
        ContactRecord record = new ContactRecord(
                r.getString("handle"),
                r.getString("person_guid"),
                r.getString("display_name"),
                r.getString("public_key_pem"),
                r.getBoolean("following"),
                r.getBoolean("follower"),
                r.getBoolean("blocked"),
                List.of(r.getArrayOfStrings("aspects")),
                Rows.instant(r, "created_at"));
        return new Keyed<>(record, record.createdAt(), record.handle());
    }
}
