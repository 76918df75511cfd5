package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;

/**
 * Whose data an export call reads and within which bounds: always the token's own account, and for a backup token
 * limited to a time span, nothing created outside it.
 */
public record ExportScope(long accountId, String username, String clientId, Instant spanFrom, Instant spanUntil) {

    /** Requires a token with migration:read or backup:read (401 without a token, 403 without the scope). */
    public static ExportScope of(SecurityIdentity identity) {
        BearerToken token = BearerToken.require(identity, Scopes.MIGRATION_READ, Scopes.BACKUP_READ);
        // The span binds whatever else the grant holds: migration:read next to a limited backup:read does not
        // widen what the person chose on the consent page.
        return new ExportScope(
                token.accountId(), token.username(), token.clientId(), token.spanFrom(), token.spanUntil());
    }

    /** The later of the requested start and the token's. */
    public Instant from(Instant requested) {
        return later(requested, spanFrom);
    }

    /** The earlier of the requested end and the token's. */
    public Instant until(Instant requested) {
        if (requested == null) {
            return spanUntil;
        }
        return spanUntil == null || requested.isBefore(spanUntil) ? requested : spanUntil;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
