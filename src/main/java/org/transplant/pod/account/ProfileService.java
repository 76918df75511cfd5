package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.transplant.pod.session.SignedIn;

/** Reads and replaces the signed-in person's own profile, and shows a person's public face to others. */
@ApplicationScoped
public class ProfileService {

    /** A local person as others see them: the account and its profile (an empty one when none was written). */
    public record Person(Account account, Profile profile) {}

    private final ChangeSequence sequence;

    public ProfileService(ChangeSequence sequence) {
        this.sequence = sequence;
    }

    public Uni<ProfileBody> read(SignedIn me) {
        return Panache.withSession(() -> Profile.<Profile>findById(me.accountId()))
                .map(profile -> toBody(profile == null ? new Profile() : profile));
    }

    /** The person with this username, or null when there is none. */
    public Uni<Person> ofUsername(String username) {
        return Panache.withSession(() -> Account.findByUsername(username)
                .chain(account -> account == null ? Uni.createFrom().nullItem() : withProfile(account)));
    }

    /** The person of this account, or null when there is none. */
    public Uni<Person> ofAccount(long accountId) {
        return Panache.withSession(() -> Account.<Account>findById(accountId)
                .chain(account -> account == null ? Uni.createFrom().nullItem() : withProfile(account)));
    }

    private static Uni<Person> withProfile(Account account) {
        return Profile.<Profile>findById(account.id)
                .map(profile -> new Person(account, profile == null ? new Profile() : profile));
    }

    /** Replaces the whole profile; every field is checked before anything is written. */
    public Uni<ProfileBody> replace(SignedIn me, ProfileBody request) {
        ProfileBody body = ProfileRules.check(request);
        // A change number, though the row carries none: the move's changes-pending check must see the edit, and the
        // account document (copied again with every delta) carries it.
        return Panache.withTransaction(() -> sequence.next(me.accountId())
                        .chain(() -> Profile.<Profile>findById(me.accountId()))
                        .chain(existing -> {
                            Profile profile = existing == null ? new Profile() : existing;
                            profile.accountId = me.accountId();
                            profile.firstName = body.firstName();
                            profile.lastName = body.lastName();
                            profile.bio = body.bio();
                            profile.avatarUrl = body.avatarUrl();
                            profile.location = body.location();
                            profile.birthday = body.birthday();
                            profile.gender = body.gender();
                            profile.tagString = ProfileRules.tagString(body.tags());
                            profile.searchable = body.searchable();
                            profile.nsfw = body.nsfw();
                            profile.publicDetails = body.publicDetails();
                            profile.updatedAt = Instant.now();
                            return profile.<Profile>persist();
                        }))
                .map(ProfileService::toBody);
    }

    private static ProfileBody toBody(Profile p) {
        return new ProfileBody(
                p.firstName,
                p.lastName,
                p.bio,
                p.avatarUrl,
                p.location,
                p.birthday,
                p.gender,
                ProfileRules.tags(p.tagString),
                p.searchable,
                p.nsfw,
                p.publicDetails);
    }
}
