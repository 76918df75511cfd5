package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops a moved account's old copies: texts, comments, likes, contacts, conversations' membership, tags,
 * notifications, the profile, and the captions of photos that were copied to the new pod. It keeps what the
 * redirects need: the account row and each post's and photo's guid. Photos the person chose to keep here (the move
 * named no new photo URL) are kept whole.
 */
@ApplicationScoped
public class AccountPurge {

    /**
     * Purges the account in {@code c}'s transaction and marks it purged; answers the file names of the photos whose
     * files the caller deletes once the transaction committed.
     */
    public Uni<List<String>> purge(SqlConnection c, long accountId) {
        Tuple account = Tuple.of(accountId);
        List<String> files = new ArrayList<>();
        return c.preparedQuery("SELECT ph.file_name FROM photos ph JOIN accounts a ON a.id = ph.account_id"
                        + " WHERE ph.account_id = $1 AND a.moved_to_photo_url IS NOT NULL AND ph.file_name IS NOT NULL")
                .execute(account)
                .invoke(rows -> rows.forEach(r -> files.add(r.getString(0))))
                .chain(() -> run(
                        c,
                        account,
                        "DELETE FROM comments WHERE post_id IN (SELECT id FROM posts WHERE account_id = $1)",
                        "DELETE FROM likes WHERE post_id IN (SELECT id FROM posts WHERE account_id = $1)",
                        "DELETE FROM post_aspects WHERE post_id IN (SELECT id FROM posts WHERE account_id = $1)",
                        "UPDATE posts SET text = NULL WHERE account_id = $1",
                        "UPDATE photos ph SET caption = NULL FROM accounts a WHERE a.id = ph.account_id"
                                + " AND ph.account_id = $1 AND a.moved_to_photo_url IS NOT NULL",
                        "DELETE FROM contacts WHERE account_id = $1",
                        "DELETE FROM aspects WHERE account_id = $1",
                        "DELETE FROM conversation_participants WHERE account_id = $1",
                        "DELETE FROM tag_followings WHERE account_id = $1",
                        "DELETE FROM notifications WHERE account_id = $1",
                        "UPDATE profiles SET first_name = NULL, last_name = NULL, bio = NULL, avatar_url = NULL,"
                                + " location = NULL, birthday = NULL, gender = NULL, tag_string = NULL"
                                + " WHERE account_id = $1",
                        "UPDATE accounts SET purged_at = now() WHERE id = $1"))
                .replaceWith(files);
    }

    private static Uni<Void> run(SqlConnection c, Tuple args, String... statements) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String sql : statements) {
            chain = chain.chain(() -> c.preparedQuery(sql).execute(args).replaceWithVoid());
        }
        return chain;
    }
}
