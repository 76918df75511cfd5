package org.transplant.discovery;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.transplant.pod.PodUrls;

/** The small well-known documents: host-meta (RFC 6415) in XRD and JSON, and the NodeInfo pointer. */
@Path("/.well-known")
public class WellKnownResource {

    public record Template(String rel, String type, String template) {}

    public record HostMetaJson(List<Template> links) {}

    public record Links(List<WebFingerResource.Link> links) {}

    private final PodUrls urls;

    public WellKnownResource(PodUrls urls) {
        this.urls = urls;
    }

    @GET
    @Path("nodeinfo")
    @Produces(MediaType.APPLICATION_JSON)
    public Links nodeInfo() {
        return new Links(
                List.of(new WebFingerResource.Link(NodeInfoResource.SCHEMA_21, null, urls.url("/nodeinfo/2.1"))));
    }

    @GET
    @Path("host-meta")
    @Produces("application/xrd+xml")
    public String xrd() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n"
                + "  <Link rel=\"lrdd\" type=\"application/jrd+json\" template=\"" + lrdd() + "\"/>\n"
                + "</XRD>\n";
    }

    @GET
    @Path("host-meta.json")
    @Produces(MediaType.APPLICATION_JSON)
    public HostMetaJson json() {
        return new HostMetaJson(List.of(new Template("lrdd", "application/jrd+json", lrdd())));
    }

    private String lrdd() {
        return urls.url("/.well-known/webfinger?resource={uri}");
    }
}
