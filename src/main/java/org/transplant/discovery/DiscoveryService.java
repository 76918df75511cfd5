package org.transplant.discovery;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.account.Accounts.PublicAccount;
import org.transplant.pod.account.PodActivity;

/** What discovery publishes about local people and the pod, from the pod's own account services. */
@ApplicationScoped
public class DiscoveryService {

    /**
     * The public face of a local account; {@code movedFrom} is the identity it is being or was moved here from (from
     * the moment this pod asks the old pod to finish the move, so that the move notices find it confirmed).
     */
    @TemplateData
    public record Person(
            String username,
            String guid,
            String publicKeyPem,
            String state,
            String movedTo,
            String displayName,
            String movedFrom) {}

    /** Counts for NodeInfo's usage block. */
    public record Usage(long users, long activeHalfyear, long activeMonth, long localPosts, long localComments) {}

    private final Accounts accounts;
    private final PodActivity activity;
    private final MoveOrigins origins;

    public DiscoveryService(Accounts accounts, PodActivity activity, MoveOrigins origins) {
        this.accounts = accounts;
        this.activity = activity;
        this.origins = origins;
    }

    public Uni<Person> person(String username) {
        return accounts.publicByUsername(username)
                .chain(account -> account == null
                        ? Uni.createFrom().nullItem()
                        : origins.movedFrom(account.id()).map(movedFrom -> toPerson(account, movedFrom)));
    }

    public Uni<Person> personByGuid(String guid) {
        return accounts.usernameByGuid(guid)
                .chain(username ->
                        username != null ? person(username) : Uni.createFrom().nullItem());
    }

    public Uni<Usage> usage() {
        return activity.counts()
                .map(c -> new Usage(c.users(), c.activeHalfyear(), c.activeMonth(), c.localPosts(), c.localComments()));
    }

    private static Person toPerson(PublicAccount a, String movedFrom) {
        return new Person(
                a.username(), a.guid(), a.publicKeyPem(), a.state().name(), a.movedTo(), a.displayName(), movedFrom);
    }
}
