package org.transplant.migration.move;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.transplant.pod.account.MovedAway;

/** Whether a local account moved away, and where to: what its owner sees when they sign in here again. */
@ApplicationScoped
public class MovedAccounts {

    @TemplateData
    public record Moved(String movedTo, Instant movedAt) {}

    private final MovedAway movedAway;

    public MovedAccounts(MovedAway movedAway) {
        this.movedAway = movedAway;
    }

    /** Where the account went, or null while it lives here. */
    public Uni<Moved> of(long accountId) {
        return movedAway.of(accountId).map(moved -> moved == null ? null : new Moved(moved.movedTo(), moved.movedAt()));
    }
}
