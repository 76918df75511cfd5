package org.transplant.migration.export;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.account.Accounts;
import org.transplant.web.ProblemException;

/**
 * {@code POST /admin/v1/accounts/{username}/export} (admin token): writes the account to a new folder under
 * {@code <data dir>/exports}, as {@link FolderExport} lays it out; answers the folder's name and its manifest.
 */
@Path("/admin/v1/accounts/{username}/export")
@Produces(MediaType.APPLICATION_JSON)
public class FolderExportResource {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

    private final FolderExport export;
    private final Accounts accounts;
    private final TransplantConfig config;

    public FolderExportResource(FolderExport export, Accounts accounts, TransplantConfig config) {
        this.export = export;
        this.accounts = accounts;
        this.config = config;
    }

    @POST
    public Uni<FolderExport.Written> export(@PathParam("username") String username) {
        return accounts.publicByUsername(username)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The account " + username))
                .chain(account -> export.export(
                        account.id(),
                        account.username(),
                        java.nio.file.Path.of(config.dataDir(), "exports").toAbsolutePath(),
                        account.username() + "-" + STAMP.format(Instant.now().atOffset(ZoneOffset.UTC))));
    }
}
