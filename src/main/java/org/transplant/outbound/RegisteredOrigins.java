package org.transplant.outbound;

import io.smallrye.mutiny.Uni;

/**
 * The origins quarkus-oidc may call on this pod's behalf: those of the old pods it registered with (whose issuer was
 * on the handle's host). The importer, which keeps those pods, answers; the outbound layer only asks.
 */
public interface RegisteredOrigins {

    /** Whether {@code url} is on the origin (scheme, host and port) of a registered old pod's issuer. */
    Uni<Boolean> isRegistered(String url);
}
