package org.transplant.migration.importer;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.page.HomeCard;

/** The home page's card for a move into this account that is still running, with a link to its progress. */
@Priority(20)
@ApplicationScoped
public class MovingHomeCard implements HomeCard {

    private final ImportJobs imports;
    private final Template card;

    public MovingHomeCard(ImportJobs imports, @Location("home-moving") Template card) {
        this.imports = imports;
        this.card = card;
    }

    @Override
    public Uni<String> render(long accountId) {
        return imports.running(accountId)
                .map(moving ->
                        moving == null ? null : card.data("moving", moving).render());
    }
}
