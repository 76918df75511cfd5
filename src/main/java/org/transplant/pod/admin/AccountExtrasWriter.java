package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.transplant.pod.account.ChangeSequence;

/** The small rest of an account: followed tags, recent notifications and, when it is empty, the profile. */
@ApplicationScoped
class AccountExtrasWriter {

    private static final int TAGS = 10;
    private static final int MAX_NOTIFICATIONS = 30;
    private static final Duration NOTIFICATION_WINDOW = Duration.ofDays(60);
    private static final List<String> POST_KINDS = List.of("comment", "like", "mention", "reshare", "started_sharing");

    private static final String INSERT_TAGS = """
            INSERT INTO tag_followings (account_id, tag, seq, created_at)
            SELECT $1, u.tag, u.seq, u.created_at FROM unnest($2::text[], $3::bigint[], $4::timestamptz[])
                AS u(tag, seq, created_at)
            ON CONFLICT (account_id, tag) DO NOTHING""";
    private static final String INSERT_NOTIFICATIONS = """
            INSERT INTO notifications (account_id, kind, actor_handle, target_guid, unread, created_at)
            SELECT $1, u.kind, u.actor, u.target, u.unread, u.created_at
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bool[], $6::timestamptz[])
                AS u(kind, actor, target, unread, created_at)""";
    // Only a profile nobody has written yet: a person's own words are never overwritten.
    private static final String FILL_PROFILE = """
            UPDATE profiles SET first_name = $2, last_name = $3, bio = $4, location = $5, tag_string = $6,
                                updated_at = now()
            WHERE account_id = $1 AND coalesce(first_name, '') = '' AND coalesce(last_name, '') = ''
              AND coalesce(bio, '') = ''""";

    private final Pool pool;

    AccountExtrasWriter(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> write(SyntheticRun run) {
        SplittableRandom random = run.extrasRandom;
        List<String> tags = new ArrayList<>(SyntheticText.TAGS);
        for (int i = 0; i < TAGS; i++) {
            Collections.swap(tags, i, i + random.nextInt(tags.size() - i));
        }
        return pool.withTransaction(connection -> fillProfile(connection, run, tags.subList(0, 3))
                        .chain(() -> followTags(connection, run, tags.subList(0, TAGS)))
                        .chain(() -> notify(connection, run)))
                .replaceWithVoid();
    }

    private static Uni<Void> fillProfile(SqlConnection connection, SyntheticRun run, List<String> tags) {
        SplittableRandom random = run.extrasRandom;
        String first = SyntheticText.capitalize(SyntheticText.pick(random, SyntheticText.FIRST_NAMES));
        String last = SyntheticText.capitalize(SyntheticText.pick(random, SyntheticText.LAST_NAMES));
        String bio = SyntheticText.comment(random);
        String location = SyntheticText.pick(random, SyntheticText.CITIES);
        String tagString = "#" + String.join(" #", tags);
        return connection
                .preparedQuery(FILL_PROFILE)
                .execute(Tuple.from(List.of(run.accountId, first, last, bio, location, tagString)))
                .invoke(rows -> run.tally.profileFilled = rows.rowCount() > 0)
                .replaceWithVoid();
    }

    private static Uni<Void> followTags(SqlConnection connection, SyntheticRun run, List<String> tags) {
        Long[] seqs = new Long[tags.size()];
        OffsetDateTime[] times = sortedTimes(run.extrasRandom, tags.size(), run.startMillis, run.endMillis);
        return ChangeSequence.reserveFirst(connection, run.accountId, tags.size())
                .chain(firstSeq -> {
                    for (int i = 0; i < seqs.length; i++) {
                        seqs[i] = firstSeq + i;
                    }
                    return SqlBatch.insert(
                            connection, INSERT_TAGS, run.accountId, tags.toArray(String[]::new), seqs, times);
                })
                .invoke(rows -> run.tally.tagFollowings += rows)
                .replaceWithVoid();
    }

    /** Up to 30 recent notifications; without posts only new sharers can have caused one. */
    private static Uni<Void> notify(SqlConnection connection, SyntheticRun run) {
        int count = (int) Math.min(MAX_NOTIFICATIONS, (long) run.request.posts() + run.request.contacts());
        if (count == 0) {
            return Uni.createFrom().voidItem();
        }
        SplittableRandom random = run.extrasRandom;
        String[] kinds = new String[count];
        String[] actors = new String[count];
        String[] targets = new String[count];
        Boolean[] unread = new Boolean[count];
        OffsetDateTime[] times =
                sortedTimes(random, count, run.endMillis - NOTIFICATION_WINDOW.toMillis(), run.endMillis);
        for (int i = 0; i < count; i++) {
            String kind = run.hasRecentPosts() ? SyntheticText.pick(random, POST_KINDS) : "started_sharing";
            kinds[i] = kind;
            actors[i] = run.people.other(random);
            targets[i] = kind.equals("started_sharing") ? null : run.recentPost(random);
            unread[i] = random.nextInt(100) < 40;
        }
        return SqlBatch.insert(connection, INSERT_NOTIFICATIONS, run.accountId, kinds, actors, targets, unread, times)
                .invoke(rows -> run.tally.notifications += rows)
                .replaceWithVoid();
    }

    private static OffsetDateTime[] sortedTimes(SplittableRandom random, int count, long from, long to) {
        long[] millis = new long[count];
        for (int i = 0; i < count; i++) {
            millis[i] = from + random.nextLong(Math.max(1, to - from));
        }
        Arrays.sort(millis);
        OffsetDateTime[] times = new OffsetDateTime[count];
        for (int i = 0; i < count; i++) {
            times[i] = SyntheticTimeline.time(millis[i]);
        }
        return times;
    }
}
