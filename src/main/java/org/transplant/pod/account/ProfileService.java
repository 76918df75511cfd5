package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.transplant.pod.session.SignedIn;

/** Reads and replaces the signed-in person's own profile. */
@ApplicationScoped
public class ProfileService {

    private final AccountGuard guard;

    public ProfileService(AccountGuard guard) {
        this.guard = guard;
    }

    public Uni<ProfileBody> read(SignedIn me) {
        return Panache.withSession(() -> Profile.<Profile>findById(me.accountId()))
                .map(profile -> toBody(profile == null ? new Profile() : profile));
    }

    /** Replaces the whole profile; every field is checked before anything is written. */
    public Uni<ProfileBody> replace(SignedIn me, ProfileBody request) {
        ProfileBody body = ProfileRules.check(request);
        return Panache.withTransaction(() -> guard.requireActive(me.accountId())
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
        return new ProfileBody(p.firstName, p.lastName, p.bio, p.avatarUrl, p.location, p.birthday, p.gender,
                ProfileRules.tags(p.tagString), p.searchable, p.nsfw, p.publicDetails);
    }
}
