package org.transplant.pod.contact;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.transplant.pod.account.ChangeSequence;

/**
 * A person who moved, seen from this pod's accounts: every local account's contact with the old identity becomes a
 * contact with the new one (following, follower and blocked carry over; a contact the account already had with the
 * new identity is merged, flags and aspects together), and what the old identity wrote here (comments, likes,
 * messages, conversations, notifications) is attributed to the new one. Each changed contact takes a new change
 * sequence of its account, and the old handle a tombstone, so the accounts' own exports see the change.
 */
@ApplicationScoped
public class MovedIdentity {

    /**
     * Repoints, in the transaction of {@code c}, every local contact with {@code oldHandle} and what that identity
     * wrote here at {@code newHandle}; returns how many local accounts had it as a contact.
     */
    public Uni<Integer> repoint(SqlConnection c, String oldHandle, String newHandle, String newKey) {
        return c.preparedQuery("SELECT DISTINCT account_id FROM contacts WHERE handle = $1")
                .execute(Tuple.of(oldHandle))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    // Two sequence numbers per account: the old handle's tombstone, then the contact as it is now.
                    // The accounts are taken in id order (as every write takes them); moved and closed ones are left
                    // as they are, and one held for its move makes the notice wait (503, the sender tries again).
                    return ChangeSequence.reserveEach(c, ids, 2);
                })
                .chain(highest -> {
                    List<Long> accounts = new ArrayList<>(highest.keySet());
                    List<Long> seqs = new ArrayList<>(highest.values());
                    Tuple seqArgs = Tuple.of(
                            oldHandle, newHandle, newKey, accounts.toArray(Long[]::new), seqs.toArray(Long[]::new));
                    String seqOf = " FROM unnest($4::bigint[], $5::bigint[]) AS s(account_id, seq)";
                    // A block in either row wins, as blocking does: it ends sharing with them.
                    return c.preparedQuery(
                                    "UPDATE contacts n SET following = (n.following OR o.following)"
                                            + " AND NOT (n.blocked OR o.blocked), follower = n.follower OR o.follower,"
                                            + " blocked = n.blocked OR o.blocked,"
                                            + " public_key_pem = $3, seq = s.seq" + seqOf
                                            + ", contacts o WHERE o.handle = $1"
                                            + " AND n.handle = $2 AND n.account_id = o.account_id AND s.account_id = o.account_id")
                            .execute(seqArgs)
                            .chain(() -> c.preparedQuery("INSERT INTO contact_aspects (contact_id, aspect_id)"
                                            + " SELECT n.id, ca.aspect_id FROM contacts o JOIN contact_aspects ca"
                                            + " ON ca.contact_id = o.id JOIN contacts n ON n.account_id = o.account_id"
                                            + " AND n.handle = $2 WHERE o.handle = $1 AND o.account_id = ANY($3)"
                                            + " ON CONFLICT DO NOTHING")
                                    .execute(Tuple.of(oldHandle, newHandle, accounts.toArray(Long[]::new))))
                            .chain(() -> c.preparedQuery("DELETE FROM contacts o WHERE o.handle = $1"
                                            + " AND o.account_id = ANY($3) AND EXISTS"
                                            + " (SELECT 1 FROM contacts n WHERE n.account_id = o.account_id"
                                            + " AND n.handle = $2)")
                                    .execute(Tuple.of(oldHandle, newHandle, accounts.toArray(Long[]::new))))
                            .chain(() -> c.preparedQuery("UPDATE contacts o SET handle = $2, public_key_pem = $3,"
                                            + " person_guid = NULL, seq = s.seq" + seqOf + " WHERE o.handle = $1"
                                            + " AND s.account_id = o.account_id")
                                    .execute(seqArgs))
                            .chain(() -> c.preparedQuery("INSERT INTO tombstones (account_id, seq, kind, guid)"
                                            + " SELECT s.account_id, s.seq - 1, 'contact', $1 FROM unnest($2::bigint[],"
                                            + " $3::bigint[]) AS s(account_id, seq)")
                                    .execute(Tuple.of(
                                            oldHandle, accounts.toArray(Long[]::new), seqs.toArray(Long[]::new))))
                            .chain(() -> authoredElsewhere(c, oldHandle, newHandle))
                            .replaceWith(accounts.size());
                });
    }

    /** What the old identity wrote on this pod is the new identity's now. */
    private static Uni<Void> authoredElsewhere(SqlConnection c, String oldHandle, String newHandle) {
        Tuple handles = Tuple.of(oldHandle, newHandle);
        return c.preparedQuery("DELETE FROM likes o WHERE o.author_handle = $1 AND EXISTS (SELECT 1 FROM likes n"
                        + " WHERE n.post_id = o.post_id AND n.author_handle = $2)")
                .execute(handles)
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
                                + " AND n.handle = $2)")
                        .execute(handles))
                .chain(() -> c.preparedQuery("UPDATE conversation_participants SET handle = $2 WHERE handle = $1")
                        .execute(handles))
                .chain(() -> c.preparedQuery("UPDATE notifications SET actor_handle = $2 WHERE actor_handle = $1")
                        .execute(handles))
                .replaceWithVoid();
    }
}
