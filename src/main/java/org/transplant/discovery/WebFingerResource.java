package org.transplant.discovery;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.web.ProblemException;

/**
 * WebFinger (RFC 7033) for local people: {@code acct:user@host} or the profile URL. Besides the profile page and the
 * diaspora* hcard and seed links it carries the person's public key, the one that signs what they federate.
 */
@Path("/.well-known/webfinger")
public class WebFingerResource {

    public static final String JRD = "application/jrd+json";
    /** diaspora*'s legacy WebFinger link for the public key (base64 of the PEM). */
    public static final String REL_PUBLIC_KEY = "diaspora-public-key";

    public static final String PROP_PUBLIC_KEY = "https://transplant.social/ns#publicKeyPem";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Link(String rel, String type, String href) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Jrd(String subject, List<String> aliases, Map<String, String> properties, List<Link> links) {}

    /** The new identity of a moved account. */
    public static final String PROP_MOVED_TO = "https://transplant.social/ns/moved-to";
    /** The identity a moved-in account had before (FEP-7628's alsoKnownAs). */
    public static final String PROP_ALSO_KNOWN_AS = "https://www.w3.org/ns/activitystreams#alsoKnownAs";
    /** Where this pod takes move notices about the people its users know. */
    public static final String REL_INBOX = "https://transplant.social/ns/federation-inbox";
    /** The path of that inbox on every Transplant pod (the federation part serves it). */
    public static final String INBOX_PATH = "/federation/v1/inbox";

    private final DiscoveryService discovery;

    private final PodUrls urls;

    public WebFingerResource(DiscoveryService discovery, PodUrls urls) {
        this.discovery = discovery;
        this.urls = urls;
    }

    @GET
    @Produces({JRD, "application/json"})
    public Uni<Response> find(@QueryParam("resource") String resource, @QueryParam("rel") List<String> rels) {
        String username = localUsername(resource);
        return discovery
                .person(username)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The person " + resource))
                .map(person -> {
                    String profile = urls.url("/u/" + person.username());
                    List<Link> links = new ArrayList<>(List.of(
                            new Link("http://webfinger.net/rel/profile-page", "text/html", profile),
                            new Link(
                                    "http://microformats.org/profile/hcard",
                                    "text/html",
                                    urls.url("/hcard/users/" + person.guid())),
                            new Link("http://joindiaspora.com/seed_location", "text/html", urls.baseUrl() + "/"),
                            // As diaspora* does: where to authorize apps (and other pods) for this person.
                            new Link("http://openid.net/specs/connect/1.0/issuer", null, urls.baseUrl()),
                            new Link(
                                    REL_PUBLIC_KEY,
                                    "RSA",
                                    Base64.getEncoder()
                                            .encodeToString(
                                                    person.publicKeyPem().getBytes(StandardCharsets.UTF_8))),
                            new Link(REL_INBOX, "application/jose", urls.url(INBOX_PATH))));
                    if (rels != null && !rels.isEmpty()) {
                        links.removeIf(link -> !rels.contains(link.rel()));
                    }
                    List<String> aliases = new ArrayList<>(List.of(profile));
                    Map<String, String> properties = new LinkedHashMap<>();
                    properties.put(PROP_PUBLIC_KEY, person.publicKeyPem());
                    if (person.movedTo() != null) {
                        // Where the person went: the new identity as an alias and as a property of its own.
                        aliases.add("acct:" + person.movedTo());
                        properties.put(PROP_MOVED_TO, "acct:" + person.movedTo());
                    }
                    if (person.movedFrom() != null) {
                        aliases.add("acct:" + person.movedFrom());
                        properties.put(PROP_ALSO_KNOWN_AS, "acct:" + person.movedFrom());
                    }
                    Jrd jrd = new Jrd("acct:" + urls.handleOf(person.username()), aliases, properties, links);
                    // RFC 7033 §5: WebFinger resources are public and meant for browser clients too.
                    return Response.ok(jrd, JRD)
                            .header("Access-Control-Allow-Origin", "*")
                            .build();
                });
    }

    private String localUsername(String resource) {
        if (resource == null || resource.isBlank()) {
            throw ProblemException.badRequest("missing-resource", "The resource parameter is required");
        }
        String profilePrefix = urls.url("/u/");
        if (resource.startsWith(profilePrefix)) {
            return resource.substring(profilePrefix.length());
        }
        Handle handle = Handle.parse("resource", resource);
        String username = urls.localUsername(handle);
        if (username == null) {
            throw ProblemException.notFound("The person " + resource + " (another host)");
        }
        return username;
    }
}
