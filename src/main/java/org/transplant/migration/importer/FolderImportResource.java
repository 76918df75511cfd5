package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /admin/v1/imports/folder} (admin token): imports a folder of the export's files into a new account;
 * answers 202 with the job, whose progress and per-item report are the import's usual ones.
 */
@Path("/admin/v1/imports/folder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FolderImportResource {

    private final FolderImport imports;

    public FolderImportResource(FolderImport imports) {
        this.imports = imports;
    }

    @POST
    public Uni<Response> start(FolderImport.Request request) {
        return imports.start(request).map(started -> Response.accepted(started).build());
    }
}
