package org.transplant.discovery;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.transplant.pod.PodUrls;
import org.transplant.web.ProblemException;

/** diaspora*'s hCard, linked from WebFinger: the person's guid, names and public key in microformats. */
@Path("/hcard/users/{guid}")
public class HCardPage {

    private final Template hcard;
    private final DiscoveryService discovery;
    private final PodUrls urls;

    public HCardPage(Template hcard, DiscoveryService discovery, PodUrls urls) {
        this.hcard = hcard;
        this.discovery = discovery;
        this.urls = urls;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> show(@PathParam("guid") String guid) {
        return discovery
                .personByGuid(guid)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The person " + guid))
                .map(person -> hcard.data("person", person)
                        .data("name", person.displayName() == null ? person.username() : person.displayName())
                        .data("podUrl", urls.baseUrl()));
    }
}
