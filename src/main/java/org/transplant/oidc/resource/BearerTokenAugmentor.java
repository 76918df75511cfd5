package org.transplant.oidc.resource;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.database.Rows;

/**
 * quarkus-oidc has checked the token's signature, issuer, audience and expiry; this adds what only the database
 * knows: that the token and its grant are not revoked (so revocation bites at once, not at expiry), whose account
 * it opens, and its scopes and span.
 */
@ApplicationScoped
public class BearerTokenAugmentor implements SecurityIdentityAugmentor {

    /** quarkus-oidc's name for the default tenant, the only one that verifies this pod's own tokens. */
    private static final String OWN_TENANT = "Default";

    private final Pool pool;
    private final Accounts accounts;

    public BearerTokenAugmentor(Pool pool, Accounts accounts) {
        this.pool = pool;
        this.accounts = accounts;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Object tenant = identity.getAttribute("tenant-id");
        if (identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || tenant != null && !OWN_TENANT.equals(tenant)) {
            // Not one of this pod's tokens: an old pod's ID token from the import's code flow is checked there.
            return Uni.createFrom().item(identity);
        }
        return pool.preparedQuery("SELECT t.account_id, t.scope, t.client_id, g.span_from, g.span_until"
                        + " FROM oidc_tokens t JOIN oidc_grants g ON g.id = t.grant_id"
                        + " WHERE t.id = $1 AND t.kind = 'access' AND t.revoked_at IS NULL AND g.revoked_at IS NULL"
                        + " AND t.expires_at > now()")
                .execute(Tuple.of(jwt.getTokenID()))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new AuthenticationFailedException("The access token was revoked");
                    }
                    Row row = rows.iterator().next();
                    // A closed account's tokens open nothing, revoked or not.
                    return accounts.openUsername(pool, row.getLong("account_id"))
                            .map(username -> {
                                if (username == null) {
                                    throw new AuthenticationFailedException("The access token was revoked");
                                }
                                // The token's account goes into the BearerToken only, never into the session's
                                // attributes:
                                // a token is not a browser session, and reaches only what its scopes name.
                                return QuarkusSecurityIdentity.builder(identity)
                                        .addAttribute(
                                                BearerToken.ATTRIBUTE,
                                                BearerToken.parse(
                                                        jwt.getTokenID(),
                                                        row.getString("client_id"),
                                                        row.getLong("account_id"),
                                                        username,
                                                        row.getString("scope"),
                                                        Rows.instant(row, "span_from"),
                                                        Rows.instant(row, "span_until")))
                                        .build();
                            });
                });
    }
}
