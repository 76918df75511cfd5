package org.transplant.pod.contact;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The people of other pods this pod's accounts know: as contacts, or as authors of comments, likes and
 * conversation messages here. Federation asks it whom a move notice may concern and whom a move must tell.
 */
@ApplicationScoped
public class KnownPeople {

    private final Pool pool;

    public KnownPeople(Pool pool) {
        this.pool = pool;
    }

    /** Whether any account here has {@code handle} as a contact, or {@code handle} wrote or joined anything here. */
    public Uni<Boolean> knows(String handle) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM contacts WHERE handle = $1) OR EXISTS (SELECT 1"
                        + " FROM comments WHERE author_handle = $1) OR EXISTS (SELECT 1 FROM likes WHERE author_handle = $1)"
                        + " OR EXISTS (SELECT 1 FROM conversation_participants WHERE handle = $1)")
                .execute(Tuple.of(handle))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * One contact handle per pod that hosts a contact of the account (followers and followings alike), ordered by
     * host (at most {@code pods} of them), read in {@code c}'s transaction.
     */
    public Uni<List<String>> oneContactPerPod(SqlConnection c, long accountId, int pods) {
        return c.preparedQuery("SELECT DISTINCT ON (host) handle FROM (SELECT split_part(handle, '@', 2)"
                        + " AS host, handle FROM contacts WHERE account_id = $1 AND handle LIKE '_%@_%') c"
                        + " ORDER BY host, handle LIMIT $2")
                .execute(Tuple.of(accountId, pods))
                .map(rows -> {
                    List<String> handles = new ArrayList<>();
                    rows.forEach(row -> handles.add(row.getString(0)));
                    return handles;
                });
    }
}
