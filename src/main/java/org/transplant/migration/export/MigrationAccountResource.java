package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.transplant.oidc.resource.BearerToken;

/** {@code GET /migration/v1/account}: the account document an export starts from. */
@Path("/migration/v1/account")
public class MigrationAccountResource {

    private final AccountExporter accounts;
    private final PageResponses responses;
    private final SecurityIdentity identity;

    public MigrationAccountResource(AccountExporter accounts, PageResponses responses, SecurityIdentity identity) {
        this.accounts = accounts;
        this.responses = responses;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> account(@HeaderParam("If-None-Match") String ifNoneMatch) {
        ExportScope scope = ExportScope.of(identity);
        return accounts.export(scope, BearerToken.of(identity)).map(record -> responses.document(record, ifNoneMatch));
    }
}
