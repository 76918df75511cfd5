package org.transplant.migration.move;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.page.HomeCard;

/** The home page's card for an account that moved away: where it lives now, and how to delete what is left. */
@Priority(10)
@ApplicationScoped
public class MovedHomeCard implements HomeCard {

    private final MovedAccounts moves;
    private final Template card;

    public MovedHomeCard(MovedAccounts moves, @Location("home-moved") Template card) {
        this.moves = moves;
        this.card = card;
    }

    @Override
    public Uni<String> render(long accountId) {
        return moves.of(accountId)
                .map(moved -> moved == null ? null : card.data("moved", moved).render());
    }
}
