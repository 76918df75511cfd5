package org.transplant.oidc.authorize;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.PodUrls;

/**
 * The consent page: which app asks, where the person will be sent back to, what it may do in plain words, and who
 * is signed in. The form carries the request back as hidden fields, which the POST checks again in full.
 */
@ApplicationScoped
public class ConsentPage {

    private final Template consent;
    private final PodUrls urls;

    public ConsentPage(Template consent, PodUrls urls) {
        this.consent = consent;
        this.urls = urls;
    }

    /** The host the page tells the person they will be sent back to; the grant records it for the move. */
    static String hostShown(ValidAuthorization request) {
        return RegisteredClient.hostOf(request.redirectUri());
    }

    public TemplateInstance render(ValidAuthorization request, BrowserSession session, String error) {
        List<String> abilities =
                request.scopes().stream().map(Scopes.DESCRIPTIONS::get).toList();
        // Only a usable proposal, rewritten from the parsed dates, reaches the inputs: never the raw parameter.
        BackupSpan proposed = request.proposedSpan();
        return consent.data("clientName", request.client().clientName())
                .data("host", hostShown(request))
                .data("abilities", abilities)
                .data("handle", urls.handleOf(session.signedIn().username()))
                .data("params", request.request().params())
                .data("backup", request.asksForBackup())
                .data("proposed", proposed != null)
                .data("proposedFrom", proposed == null ? null : day(proposed.fromDay()))
                .data("proposedUntil", proposed == null ? null : day(proposed.untilDay()))
                .data("error", error);
    }

    private static String day(LocalDate day) {
        return day == null ? null : day.toString();
    }
}
