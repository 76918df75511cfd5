package org.transplant.pod.page;

import io.smallrye.mutiny.Uni;

/**
 * A card a feature adds at the top of a signed-in person's home page (a move in progress, an account that moved
 * away). The pod knows nothing of the features above it: each renders its own card, or none.
 */
public interface HomeCard {

    /** The card's HTML for this account, or null when the feature has nothing to say to it. */
    Uni<String> render(long accountId);
}
