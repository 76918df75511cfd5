package org.transplant.pod.tag;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.regex.Pattern;
import org.transplant.pod.account.AccountGuard;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** Follows and unfollows hashtags; a followed tag brings public posts with it into the person's stream. */
@ApplicationScoped
public class TagFollowingService {

    private static final Pattern TAG = Pattern.compile("[a-z0-9_]{1,64}");

    private final AccountGuard guard;
    private final ChangeSequence sequence;

    public TagFollowingService(AccountGuard guard, ChangeSequence sequence) {
        this.guard = guard;
        this.sequence = sequence;
    }

    /** Follows a tag; true when it is new, false when the caller already followed it (nothing changes then). */
    public Uni<Boolean> follow(SignedIn me, String raw) {
        String tag = normalise(raw);
        return Panache.withTransaction(() -> guard.requireActive(me.accountId())
                        .chain(() -> sequence.next(me.accountId()))
                        // A repeat takes a sequence number and writes nothing; the gap is harmless to an export.
                        .chain(seq -> Panache.getSession()
                                .chain(session -> session.createNativeQuery(
                                                "INSERT INTO tag_followings (account_id, tag, seq) VALUES (?1, ?2, ?3)"
                                                        + " ON CONFLICT (account_id, tag) DO NOTHING")
                                        .setParameter(1, me.accountId())
                                        .setParameter(2, tag)
                                        .setParameter(3, seq)
                                        .executeUpdate())))
                .map(inserted -> inserted > 0);
    }

    public Uni<Void> unfollow(SignedIn me, String raw) {
        String tag = normalise(raw);
        return Panache.withTransaction(() -> guard.requireActive(me.accountId())
                .chain(() -> Panache.getSession())
                .chain(session -> session.createNativeQuery(
                                "DELETE FROM tag_followings WHERE account_id = ?1 AND tag = ?2")
                        .setParameter(1, me.accountId())
                        .setParameter(2, tag)
                        .executeUpdate())
                .chain(deleted -> {
                    if (deleted == 0) {
                        throw ProblemException.notFound("Your following of #" + tag);
                    }
                    return sequence.tombstone(me.accountId(), "tag_following", tag);
                }));
    }

    /** "#Cats " and "cats" are the same tag: lower case, without the '#'. */
    static String normalise(String raw) {
        String tag = raw == null ? "" : raw.strip();
        tag = (tag.startsWith("#") ? tag.substring(1) : tag).toLowerCase(Locale.ROOT);
        if (!TAG.matcher(tag).matches()) {
            throw ProblemException.invalid("tag", "has 1 to 64 letters, digits or underscores");
        }
        return tag;
    }
}
