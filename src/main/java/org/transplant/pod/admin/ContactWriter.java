package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import org.transplant.pod.account.ChangeSequence;

/**
 * Writes the contacts of a run and their aspect memberships, a batch per transaction. A handle the account already
 * knows (from an earlier generation) is left as it is, so a second call never trips the unique key.
 */
@ApplicationScoped
class ContactWriter {

    private static final int BATCH = 5_000;

    // The public keys travel once per batch as a small array; each row names its key by index (1-based in SQL).
    private static final String INSERT_CONTACTS = """
            INSERT INTO contacts (account_id, handle, person_guid, display_name, public_key_pem, following, follower,
                                  blocked, seq, created_at)
            SELECT $1, u.handle, u.person_guid, u.display_name, ($2::text[])[u.key_index], u.following, u.follower,
                   u.blocked, u.seq, u.created_at
            FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::bool[], $9::bool[],
                        $10::bigint[], $11::timestamptz[])
                AS u(handle, person_guid, display_name, key_index, following, follower, blocked, seq, created_at)
            ON CONFLICT (account_id, handle) DO NOTHING""";
    private static final String INSERT_CONTACT_ASPECTS = """
            INSERT INTO contact_aspects (contact_id, aspect_id)
            SELECT c.id, u.aspect_id FROM unnest($2::text[], $3::bigint[]) AS u(handle, aspect_id)
            JOIN contacts c ON c.account_id = $1 AND c.handle = u.handle
            ON CONFLICT DO NOTHING""";

    private final Pool pool;

    ContactWriter(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> write(SyntheticRun run) {
        int total = run.request.contacts();
        SyntheticTimeline times =
                new SyntheticTimeline(run.startMillis, run.endMillis, Math.max(1, total), run.contactTimes);
        int batches = (total + BATCH - 1) / BATCH;
        return SqlBatch.inSequence(batches, b -> writeBatch(run, times, b * BATCH, Math.min(BATCH, total - b * BATCH)));
    }

    private Uni<Void> writeBatch(SyntheticRun run, SyntheticTimeline times, int from, int count) {
        return pool.withTransaction(connection -> ChangeSequence.reserveFirst(connection, run.accountId, count)
                        .chain(firstSeq -> {
                            Columns columns = columns(run, times, from, count, firstSeq);
                            return SqlBatch.insert(
                                            connection,
                                            INSERT_CONTACTS,
                                            run.accountId,
                                            run.publicKeys.toArray(String[]::new),
                                            columns.handles,
                                            columns.personGuids,
                                            columns.displayNames,
                                            columns.keyIndexes,
                                            columns.following,
                                            columns.follower,
                                            columns.blocked,
                                            columns.seqs,
                                            columns.times)
                                    .invoke(rows -> run.tally.contacts += rows)
                                    .chain(() -> columns.aspectCount == 0
                                            ? Uni.createFrom().item(0)
                                            : SqlBatch.insert(
                                                    connection,
                                                    INSERT_CONTACT_ASPECTS,
                                                    run.accountId,
                                                    Arrays.copyOf(columns.aspectHandles, columns.aspectCount),
                                                    Arrays.copyOf(columns.aspectIds, columns.aspectCount)))
                                    .invoke(rows -> run.tally.contactAspects += rows);
                        }))
                .replaceWithVoid();
    }

    private static Columns columns(SyntheticRun run, SyntheticTimeline times, int from, int count, long firstSeq) {
        Columns columns = new Columns(count);
        for (int k = 0; k < count; k++) {
            SyntheticPeople.Contact contact = run.people.contact(from + k, run.publicKeys.size(), run.aspectIds.size());
            columns.handles[k] = contact.handle();
            columns.personGuids[k] = contact.personGuid();
            columns.displayNames[k] = contact.displayName();
            columns.keyIndexes[k] = contact.keyIndex() + 1;
            columns.following[k] = contact.following();
            columns.follower[k] = contact.follower();
            columns.blocked[k] = contact.blocked();
            columns.seqs[k] = firstSeq + k;
            columns.times[k] = SyntheticTimeline.time(times.advance());
            for (int aspect : contact.aspects()) {
                columns.aspectHandles[columns.aspectCount] = contact.handle();
                columns.aspectIds[columns.aspectCount++] = run.aspectIds.get(aspect);
            }
        }
        return columns;
    }

    /** The column arrays of one batch; at most two aspects per contact. */
    private static final class Columns {
        final String[] handles;
        final String[] personGuids;
        final String[] displayNames;
        final Integer[] keyIndexes;
        final Boolean[] following;
        final Boolean[] follower;
        final Boolean[] blocked;
        final Long[] seqs;
        final OffsetDateTime[] times;
        final String[] aspectHandles;
        final Long[] aspectIds;
        int aspectCount;

        Columns(int count) {
            handles = new String[count];
            personGuids = new String[count];
            displayNames = new String[count];
            keyIndexes = new Integer[count];
            following = new Boolean[count];
            follower = new Boolean[count];
            blocked = new Boolean[count];
            seqs = new Long[count];
            times = new OffsetDateTime[count];
            aspectHandles = new String[2 * count];
            aspectIds = new Long[2 * count];
        }
    }
}
