package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which content guids this pod holds already, and for whom: guids are global, and an import must never change,
 * join or replace what belongs to someone else. Each question is asked in the caller's transaction.
 */
@ApplicationScoped
public class HeldGuids {

    /**
     * Of these post, comment and like guids, the ones on posts of accounts other than {@code accountId}, by kind
     * ({@code posts}, {@code comments}, {@code likes}; a kind with none is left out).
     */
    public Uni<Map<String, Set<String>>> onOthersPosts(
            SqlConnection c,
            long accountId,
            Collection<String> posts,
            Collection<String> comments,
            Collection<String> likes) {
        // One probe of the guid's unique index each (LIMIT keeps each lookup its own): asked as "guid = ANY", the
        // planner scanned whole tables for every page of an import, and the tables grow with the import.
        return c.preparedQuery("SELECT 'posts', x.guid FROM unnest($1::text[]) AS g(guid) CROSS JOIN LATERAL"
                        + " (SELECT p.guid FROM posts p WHERE p.guid = g.guid AND p.account_id <> $4 LIMIT 1) x"
                        + " UNION ALL SELECT 'comments', x.guid FROM unnest($2::text[]) AS g(guid) CROSS JOIN LATERAL"
                        + " (SELECT c.guid FROM comments c JOIN posts p ON p.id = c.post_id"
                        + " WHERE c.guid = g.guid AND p.account_id <> $4 LIMIT 1) x"
                        + " UNION ALL SELECT 'likes', x.guid FROM unnest($3::text[]) AS g(guid) CROSS JOIN LATERAL"
                        + " (SELECT l.guid FROM likes l JOIN posts p ON p.id = l.post_id"
                        + " WHERE l.guid = g.guid AND p.account_id <> $4 LIMIT 1) x")
                .execute(Tuple.of(
                        posts.toArray(String[]::new),
                        comments.toArray(String[]::new),
                        likes.toArray(String[]::new),
                        accountId))
                .map(rows -> {
                    Map<String, Set<String>> taken = new HashMap<>();
                    rows.forEach(r -> taken.computeIfAbsent(r.getString(0), k -> new HashSet<>())
                            .add(r.getString(1)));
                    return taken;
                });
    }

    /**
     * Of these conversation guids, the ones that someone other than {@code accountId} sees here (a participant with
     * another account), each with whether the account was ever in it (as itself, or by {@code oldHandle} or
     * {@code newHandle}).
     */
    public Uni<Map<String, Boolean>> conversationsOfOthers(
            SqlConnection c, Collection<String> guids, long accountId, String oldHandle, String newHandle) {
        return c.preparedQuery("SELECT cv.guid, EXISTS (SELECT 1 FROM"
                        + " conversation_participants p WHERE p.conversation_id = cv.id AND (p.account_id = $2"
                        + " OR lower(p.handle) = lower($3) OR lower(p.handle) = lower($4))) FROM conversations cv"
                        + " WHERE cv.guid = ANY($1) AND EXISTS (SELECT 1 FROM conversation_participants p"
                        + " WHERE p.conversation_id = cv.id AND p.account_id IS NOT NULL AND p.account_id <> $2)")
                .execute(Tuple.of(guids.toArray(String[]::new), accountId, oldHandle, newHandle))
                .map(rows -> {
                    Map<String, Boolean> others = new HashMap<>();
                    rows.forEach(r -> others.put(r.getString(0), r.getBoolean(1)));
                    return others;
                });
    }

    /**
     * Of these conversation guids, the ones {@code accountId} takes part in here, each with whether another account of
     * this pod takes part in it too.
     */
    public Uni<Map<String, Boolean>> conversationsJoinedBy(SqlConnection c, Collection<String> guids, long accountId) {
        return c.preparedQuery("SELECT cv.guid, EXISTS (SELECT 1 FROM conversation_participants p"
                        + " WHERE p.conversation_id = cv.id AND p.account_id IS NOT NULL AND p.account_id <> $2)"
                        + " FROM conversations cv WHERE cv.guid = ANY($1) AND EXISTS (SELECT 1"
                        + " FROM conversation_participants p WHERE p.conversation_id = cv.id AND p.account_id = $2)")
                .execute(Tuple.of(guids.toArray(String[]::new), accountId))
                .map(rows -> {
                    Map<String, Boolean> shared = new HashMap<>();
                    rows.forEach(r -> shared.put(r.getString(0), r.getBoolean(1)));
                    return shared;
                });
    }

    /** Of these message guids, the ones held here, each with the guid of the conversation it is in. */
    public Uni<Map<String, String>> conversationOfMessages(SqlConnection c, Collection<String> messageGuids) {
        return c.preparedQuery("SELECT m.guid, cv.guid FROM messages m"
                        + " JOIN conversations cv ON cv.id = m.conversation_id WHERE m.guid = ANY($1)")
                .execute(Tuple.of((Object) messageGuids.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> where = new HashMap<>();
                    rows.forEach(r -> where.put(r.getString(0), r.getString(1)));
                    return where;
                });
    }
}
