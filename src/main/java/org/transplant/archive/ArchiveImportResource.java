package org.transplant.archive;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.SessionCookies;
import org.transplant.pod.session.SessionService;
import org.transplant.web.ClientAddress;
import org.transplant.web.ClientLimits;
import org.transplant.web.ProblemException;

/**
 * {@code POST /api/v1/imports} as {@code multipart/form-data}: an account archive (in the {@code archive} part when
 * it fits in one request, else the id of a finished {@code upload}), its {@code archivePassword}, and the new
 * account ({@code username}, {@code email}, {@code password}). The same start takes a diaspora* export instead (told
 * by its first bytes; no password), with its photos zip in {@code photos} or a finished {@code photosUpload}. A refused archive is a 422 naming why
 * ({@code archive-wrong-password}, …) and writes nothing, so the person can try another password; a started import
 * opens the account and signs it in, as an import from an old pod does.
 */
@Path("/api/v1/imports")
public class ArchiveImportResource {

    private final ArchiveImport imports;
    private final SessionService sessions;
    private final SessionCookies cookies;
    private final PodUrls urls;
    private final RoutingContext context;
    private final ClientLimits limits;

    public ArchiveImportResource(
            ArchiveImport imports,
            SessionService sessions,
            SessionCookies cookies,
            PodUrls urls,
            RoutingContext context,
            ClientLimits limits) {
        this.imports = imports;
        this.sessions = sessions;
        this.cookies = cookies;
        this.urls = urls;
        this.context = context;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> start(
            @RestForm("archive") FileUpload archive,
            @RestForm String upload,
            @RestForm("photos") FileUpload photos,
            @RestForm String photosUpload,
            @RestForm String archivePassword,
            @RestForm String username,
            @RestForm String email,
            @RestForm String password) {
        refuseCrossSite();
        // Each start may cost a password hash of 65 MB: each address gets a share.
        limits.importStart(context.request());
        ArchiveImport.Request request = new ArchiveImport.Request(
                upload == null || upload.isBlank() ? null : upload.trim(),
                archive == null ? null : archive.uploadedFile(),
                photosUpload == null || photosUpload.isBlank() ? null : photosUpload.trim(),
                photos == null ? null : photos.uploadedFile(),
                archivePassword,
                username,
                email,
                password);
        return imports.start(request)
                .call(started -> sessions.signIn(started.username(), password, ClientAddress.of(context.request()))
                        .invoke(token -> cookies.set(context, token)))
                .map(started -> Response.created(URI.create(urls.url("/api/v1/imports/" + started.jobId())))
                        .entity(Map.of(
                                "id", started.jobId(),
                                "username", started.username(),
                                "handle", started.handle(),
                                "progressUrl", urls.url("/import/" + started.jobId())))
                        .build());
    }

    /**
     * A multipart body is one a page of another site may send without asking (no CORS preflight), and this start
     * signs the browser in: a foreign page could sign its visitor into an account of the attacker's. A browser
     * names where a request comes from; only this pod's own pages (or a client that is no browser) may start.
     */
    private void refuseCrossSite() {
        String site = context.request().getHeader("Sec-Fetch-Site");
        String origin = context.request().getHeader("Origin");
        boolean foreignSite = site != null && !site.equals("same-origin") && !site.equals("none");
        boolean foreignOrigin = origin != null && !origin.equals(urls.url(""));
        if (foreignSite || foreignOrigin) {
            throw ProblemException.forbidden(
                    "cross-site", "An import starts from this pod's own page, not from another site's");
        }
    }
}
