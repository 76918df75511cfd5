package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.transplant.pod.contact.AspectService;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** Reads and replaces the signed-in person's account settings. */
@ApplicationScoped
public class SettingsService {

    /** A language code as diaspora* lists them: "de", "ast", "pt-BR". */
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}|[a-z]{2}-[a-z]{2}");

    private static final Set<String> VISIBILITIES = Set.of("public", "aspects");

    private final ChangeSequence sequence;
    private final AspectService aspects;

    public SettingsService(ChangeSequence sequence, AspectService aspects) {
        this.sequence = sequence;
        this.aspects = aspects;
    }

    public Uni<SettingsBody> read(SignedIn me) {
        return Panache.withSession(() -> AccountSettings.<AccountSettings>findById(me.accountId()))
                .map(settings -> toBody(settings == null ? new AccountSettings() : settings));
    }

    /** Replaces all settings; every field is checked, the follow-back aspect against the caller's aspects. */
    public Uni<SettingsBody> replace(SignedIn me, SettingsBody request) {
        SettingsBody body = check(request);
        // A change number, though the row carries none: the move's changes-pending check must see the edit, and the
        // account document (copied again with every delta) carries it.
        return Panache.withTransaction(() -> sequence.next(me.accountId())
                        .call(() -> requireAspect(me.accountId(), body.autoFollowBackAspect()))
                        .chain(() -> AccountSettings.<AccountSettings>findById(me.accountId()))
                        .chain(existing -> {
                            AccountSettings settings = existing == null ? new AccountSettings() : existing;
                            settings.accountId = me.accountId();
                            settings.language = body.language();
                            settings.disableMail = body.disableMail();
                            settings.showCommunitySpotlight = body.showCommunitySpotlight();
                            settings.autoFollowBack = body.autoFollowBack();
                            settings.autoFollowBackAspect = body.autoFollowBackAspect();
                            settings.defaultPostVisibility = body.defaultPostVisibility();
                            return settings.<AccountSettings>persist();
                        }))
                .map(SettingsService::toBody);
    }

    private static SettingsBody check(SettingsBody body) {
        if (body == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with all settings is required");
        }
        String language = body.language() == null ? "en" : body.language().strip();
        if (!LANGUAGE.matcher(language.toLowerCase(Locale.ROOT)).matches()) {
            throw ProblemException.invalid("language", "must be a language code such as en, ast or pt-BR");
        }
        String visibility = body.defaultPostVisibility() == null ? "public" : body.defaultPostVisibility();
        if (!VISIBILITIES.contains(visibility)) {
            throw ProblemException.invalid("defaultPostVisibility", "must be public or aspects");
        }
        String aspect = body.autoFollowBackAspect() == null
                        || body.autoFollowBackAspect().isBlank()
                ? null
                : body.autoFollowBackAspect().strip();
        return new SettingsBody(
                language,
                Boolean.TRUE.equals(body.disableMail()),
                Boolean.TRUE.equals(body.showCommunitySpotlight()),
                Boolean.TRUE.equals(body.autoFollowBack()),
                aspect,
                visibility);
    }

    private Uni<Void> requireAspect(long accountId, String name) {
        if (name == null) {
            return Uni.createFrom().voidItem();
        }
        return aspects.exists(accountId, name)
                .invoke(exists -> {
                    if (!exists) {
                        throw ProblemException.invalid(
                                "autoFollowBackAspect", "you have no aspect named '" + name + "'");
                    }
                })
                .replaceWithVoid();
    }

    private static SettingsBody toBody(AccountSettings s) {
        return new SettingsBody(
                s.language,
                s.disableMail,
                s.showCommunitySpotlight,
                s.autoFollowBack,
                s.autoFollowBackAspect,
                s.defaultPostVisibility);
    }
}
