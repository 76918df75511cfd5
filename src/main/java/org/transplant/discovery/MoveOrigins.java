package org.transplant.discovery;

import io.smallrye.mutiny.Uni;

/**
 * Where a local account came from, as the importer (a feature above discovery) knows it: discovery names that
 * identity among the person's aliases so that move notices find the move confirmed.
 */
public interface MoveOrigins {

    /**
     * The handle the account is being or was moved here from, from the moment this pod asks the old pod to finish
     * the move; null when it was never moved here.
     */
    Uni<String> movedFrom(long accountId);
}
