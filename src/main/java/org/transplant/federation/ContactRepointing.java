package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.transplant.federation.MoveNoticeJws.MoveNotice;

/**
 * Applies a verified move notice to this pod, in one transaction: the old identity is recorded as moved, and every
 * local account's contact with it becomes a contact with the new identity (following, follower and blocked carry
 * over; a contact the account already had with the new identity is merged, flags and aspects together). What this
 * pod holds from the old identity (comments, likes, messages, conversations, notifications) is attributed to the
 * new one. Each changed contact takes a new change sequence of its account, and the old handle a tombstone, so the
 * accounts' own exports see the change.
 */
@ApplicationScoped
public class ContactRepointing {

    private final Pool pool;

    public ContactRepointing(Pool pool) {
        this.pool = pool;
    }

    /** How many local accounts' contacts now point at the new identity; null if the notice was applied already. */
    public Uni<Integer> apply(MoveNotice notice, String oldPublicKeyPem) {
        String oldHandle = notice.oldHandle().toString();
        String newHandle = notice.newHandle().toString();
        return pool.withTransaction(c -> c.preparedQuery("INSERT INTO moved_people (old_handle, new_handle,"
                + " new_public_key_pem, old_public_key_pem, notice_id, moved_at) VALUES ($1, $2, $3, $4, $5::uuid, $6)"
                + " ON CONFLICT DO NOTHING RETURNING 1")
                .execute(Tuple.of(oldHandle, newHandle, notice.newPublicKeyPem(), oldPublicKeyPem, notice.id(),
                        notice.movedAt().atOffset(ZoneOffset.UTC)))
                .chain(inserted -> !inserted.iterator().hasNext() ? Uni.createFrom().nullItem()
                        : repoint(c, oldHandle, newHandle, notice.newPublicKeyPem())));
    }

    private static Uni<Integer> repoint(SqlConnection c, String oldHandle, String newHandle, String newKey) {
        // Two sequence numbers per account: the old handle's tombstone, then the contact as it is now.
        return c.preparedQuery("UPDATE accounts SET last_seq = last_seq + 2 WHERE id IN (SELECT account_id"
                + " FROM contacts WHERE handle = $1) RETURNING id, last_seq").execute(Tuple.of(oldHandle))
                .chain(rows -> {
                    List<Long> accounts = new ArrayList<>();
                    List<Long> seqs = new ArrayList<>();
                    for (Row row : rows) {
                        accounts.add(row.getLong(0));
                        seqs.add(row.getLong(1));
                    }
                    Tuple seqArgs = Tuple.of(oldHandle, newHandle, newKey, accounts.toArray(Long[]::new),
                            seqs.toArray(Long[]::new));
                    String seqOf = " FROM unnest($4::bigint[], $5::bigint[]) AS s(account_id, seq)";
                    // A block in either row wins, as blocking does: it ends sharing with them.
                    return c.preparedQuery("UPDATE contacts n SET following = (n.following OR o.following)"
                            + " AND NOT (n.blocked OR o.blocked), follower = n.follower OR o.follower,"
                            + " blocked = n.blocked OR o.blocked,"
                            + " public_key_pem = $3, seq = s.seq" + seqOf + ", contacts o WHERE o.handle = $1"
                            + " AND n.handle = $2 AND n.account_id = o.account_id AND s.account_id = o.account_id")
                            .execute(seqArgs)
                            .chain(() -> c.preparedQuery("INSERT INTO contact_aspects (contact_id, aspect_id)"
                                    + " SELECT n.id, ca.aspect_id FROM contacts o JOIN contact_aspects ca"
                                    + " ON ca.contact_id = o.id JOIN contacts n ON n.account_id = o.account_id"
                                    + " AND n.handle = $2 WHERE o.handle = $1 ON CONFLICT DO NOTHING")
                                    .execute(Tuple.of(oldHandle, newHandle)))
                            .chain(() -> c.preparedQuery("DELETE FROM contacts o WHERE o.handle = $1 AND EXISTS"
                                    + " (SELECT 1 FROM contacts n WHERE n.account_id = o.account_id"
                                    + " AND n.handle = $2)").execute(Tuple.of(oldHandle, newHandle)))
                            .chain(() -> c.preparedQuery("UPDATE contacts o SET handle = $2, public_key_pem = $3,"
                                    + " person_guid = NULL, seq = s.seq" + seqOf + " WHERE o.handle = $1"
                                    + " AND s.account_id = o.account_id").execute(seqArgs))
                            .chain(() -> c.preparedQuery("INSERT INTO tombstones (account_id, seq, kind, guid)"
                                    + " SELECT s.account_id, s.seq - 1, 'contact', $1 FROM unnest($2::bigint[],"
                                    + " $3::bigint[]) AS s(account_id, seq)").execute(Tuple.of(oldHandle,
                                            accounts.toArray(Long[]::new), seqs.toArray(Long[]::new))))
                            .chain(() -> authoredElsewhere(c, oldHandle, newHandle))
                            .replaceWith(accounts.size());
                });
    }

    /** What the old identity wrote on this pod is the new identity's now. */
    private static Uni<Void> authoredElsewhere(SqlConnection c, String oldHandle, String newHandle) {
        Tuple handles = Tuple.of(oldHandle, newHandle);
        return c.preparedQuery("DELETE FROM likes o WHERE o.author_handle = $1 AND EXISTS (SELECT 1 FROM likes n"
                + " WHERE n.post_id = o.post_id AND n.author_handle = $2)").execute(handles)
                .chain(() -> c.preparedQuery("UPDATE likes SET author_handle = $2 WHERE author_handle = $1")
                        .execute(handles))
                .chain(() -> c.preparedQuery("UPDATE comments SET author_handle = $2 WHERE author_handle = $1")
                        .execute(handles))
                .chain(() -> c.preparedQuery("UPDATE messages SET author_handle = $2 WHERE author_handle = $1")
                        .execute(handles))
                .chain(() -> c.preparedQuery("UPDATE conversations SET author_handle = $2 WHERE author_handle = $1")
                        .execute(handles))
                .chain(() -> c.preparedQuery("DELETE FROM conversation_participants o WHERE o.handle = $1 AND EXISTS"
                        + " (SELECT 1 FROM conversation_participants n WHERE n.conversation_id = o.conversation_id"
                        + " AND n.handle = $2)").execute(handles))
                .chain(() -> c.preparedQuery("UPDATE conversation_participants SET handle = $2 WHERE handle = $1")
                        .execute(handles))
                .chain(() -> c.preparedQuery("UPDATE notifications SET actor_handle = $2 WHERE actor_handle = $1")
                        .execute(handles))
                .replaceWithVoid();
    }
}
