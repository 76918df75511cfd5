package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.SignedIn;

/**
 * {@code GET /migration/v1/account}: so far only the handle of the account the token opens, so the consent flow
 * can be proven end to end. The Migration API proper (collections, cursors, streams) replaces it.
 */
@Path("/migration/v1/account")
public class MigrationAccountResource {

    /** The account a migration token opens, and what the token may do with it. */
    public record AccountHandle(String handle, List<String> scopes, String clientId) {
    }

    private final SecurityIdentity identity;
    private final PodUrls urls;

    public MigrationAccountResource(SecurityIdentity identity, PodUrls urls) {
        this.identity = identity;
        this.urls = urls;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public AccountHandle account() {
        BearerToken token = BearerToken.require(identity, Scopes.MIGRATION_READ, Scopes.BACKUP_READ);
        return new AccountHandle(urls.handleOf(SignedIn.of(identity).username()),
                token.scopes().stream().sorted().toList(), token.clientId());
    }
}
