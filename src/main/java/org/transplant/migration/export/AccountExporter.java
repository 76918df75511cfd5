package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transplant.migration.api.ExportRecords.AccountRecord;
import org.transplant.migration.api.ExportRecords.ProfileRecord;
import org.transplant.migration.api.ExportRecords.SettingsRecord;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.authorize.GrantStore;
import org.transplant.oidc.resource.BearerToken;
import org.transplant.pod.PodUrls;

/**
 * The account document: who the token's account is, its profile and settings, a snapshot (change sequence) the
 * collections can be read at, the size of each collection at that snapshot (for progress bars), and where the
 * collections are (LOLA-style discovery, bootstrapped by the token).
 */
@ApplicationScoped
public class AccountExporter {

    static final List<String> COLLECTIONS = List.of(
            "posts",
            "contacts",
            "photos",
            "conversations",
            "messages",
            "tag-followings",
            "notifications",
            "tombstones");

    private final Pool pool;
    private final Exports exports;
    private final PodUrls urls;
    private final GrantStore grants;

    public AccountExporter(Pool pool, Exports exports, PodUrls urls, GrantStore grants) {
        this.pool = pool;
        this.exports = exports;
        this.urls = urls;
        this.grants = grants;
    }

    public Uni<AccountRecord> export(ExportScope scope, BearerToken token) {
        return exports.currentSnapshot(scope.accountId())
                .chain(snapshot -> pool.preparedQuery(
                                "SELECT a.guid, a.username, a.public_key_pem, p.*, s.language, s.disable_mail,"
                                        + " s.show_community_spotlight, s.auto_follow_back, s.auto_follow_back_aspect,"
                                        + " s.default_post_visibility,"
                                        + " (SELECT array_agg(name ORDER BY id) FROM aspects WHERE account_id = a.id) AS aspect_names"
                                        + " FROM accounts a JOIN profiles p ON p.account_id = a.id"
                                        + " JOIN account_settings s ON s.account_id = a.id WHERE a.id = $1")
                        .execute(Tuple.of(scope.accountId()))
                        .chain(rows -> counts(scope, snapshot.seq())
                                .chain(counts -> moveNonce(token).map(nonce -> {
                                    Row r = rows.iterator().next();
                                    Map<String, String> collections = new LinkedHashMap<>();
                                    COLLECTIONS.forEach(
                                            name -> collections.put(name, urls.url("/migration/v1/" + name)));
                                    String[] aspects = r.getArrayOfStrings("aspect_names");
                                    return new AccountRecord(
                                            MigrationFormat.VERSION,
                                            urls.handleOf(r.getString("username")),
                                            r.getString("guid"),
                                            r.getString("public_key_pem"),
                                            profile(r),
                                            settings(r),
                                            aspects == null ? List.of() : List.of(aspects),
                                            snapshot.seq(),
                                            snapshot.at(),
                                            counts,
                                            collections,
                                            token.scopes().stream().sorted().toList(),
                                            token.clientId(),
                                            scope.spanFrom(),
                                            scope.spanUntil(),
                                            nonce);
                                }))));
    }

    /** The nonce a move must repeat, shown only to a token that may move the account. */
    private Uni<String> moveNonce(BearerToken token) {
        return token.scopes().contains(Scopes.MIGRATION_MOVE)
                ? grants.moveNonceOf(token.tokenId())
                : Uni.createFrom().nullItem();
    }

    private Uni<Map<String, Long>> counts(ExportScope scope, long seq) {
        CollectionExporter.Window window =
                new CollectionExporter.Window(seq, null, scope.spanFrom(), scope.spanUntil(), null);
        return pool.preparedQuery("SELECT"
                        + " (SELECT count(*) FROM posts WHERE account_id = $1 AND seq <= $2 AND created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = $1"
                        + "   AND c.seq <= $2 AND c.created_at BETWEEN $3 AND $4 AND p.created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = $1"
                        + "   AND l.seq <= $2 AND l.created_at BETWEEN $3 AND $4 AND p.created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM photos WHERE account_id = $1 AND seq <= $2 AND created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM contacts WHERE account_id = $1 AND seq <= $2 AND created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM conversation_participants cp JOIN conversations c ON c.id = cp.conversation_id"
                        + "   WHERE cp.account_id = $1 AND c.created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM conversation_participants cp JOIN conversations c ON c.id = cp.conversation_id"
                        + "   JOIN messages m ON m.conversation_id = c.id WHERE cp.account_id = $1"
                        + "   AND c.created_at BETWEEN $3 AND $4 AND m.created_at BETWEEN $3 AND $4),"
                        + " (SELECT count(*) FROM tag_followings WHERE account_id = $1 AND seq <= $2"
                        + "   AND created_at BETWEEN $3 AND $4),"
                        + " (SELECT least(count(*), 30) FROM notifications WHERE account_id = $1"
                        + "   AND created_at BETWEEN $3 AND $4)")
                .execute(Tuple.from(
                        Arrays.asList(scope.accountId(), seq, ExportSql.since(window), ExportSql.until(window))))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    Map<String, Long> counts = new LinkedHashMap<>();
                    List<String> names = MigrationFormat.COUNTED;
                    for (int i = 0; i < names.size(); i++) {
                        counts.put(names.get(i), r.getLong(i));
                    }
                    return counts;
                });
    }

    private static ProfileRecord profile(Row r) {
        String tags = r.getString("tag_string");
        List<String> tagList = tags == null || tags.isBlank()
                ? List.of()
                : Arrays.stream(tags.trim().split("\\s+"))
                        .map(t -> t.replaceFirst("^#", ""))
                        .toList();
        LocalDate birthday = r.getLocalDate("birthday");
        return new ProfileRecord(
                r.getString("first_name"),
                r.getString("last_name"),
                r.getString("bio"),
                r.getString("avatar_url"),
                r.getString("location"),
                birthday,
                r.getString("gender"),
                tagList,
                r.getBoolean("searchable"),
                r.getBoolean("nsfw"),
                r.getBoolean("public_details"));
    }

    private static SettingsRecord settings(Row r) {
        return new SettingsRecord(
                r.getString("language"),
                r.getBoolean("disable_mail"),
                r.getBoolean("show_community_spotlight"),
                r.getBoolean("auto_follow_back"),
                r.getString("auto_follow_back_aspect"),
                r.getString("default_post_visibility"));
    }
}
