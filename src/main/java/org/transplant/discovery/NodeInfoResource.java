package org.transplant.discovery;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.transplant.pod.PodUrls;

/** NodeInfo 2.1 (the diaspora* schema): what software this pod runs and how many people use it. */
@Path("/nodeinfo/2.1")
public class NodeInfoResource {

    static final String SCHEMA_21 = "http://nodeinfo.diaspora.software/ns/schema/2.1";
    static final String PROFILE_21 = "application/json; profile=\"" + SCHEMA_21 + "#\"";

    public record Software(String name, String version, String repository, String homepage) {}

    public record Services(List<String> inbound, List<String> outbound) {}

    public record Users(long total, long activeHalfyear, long activeMonth) {}

    public record Usage(Users users, long localPosts, long localComments) {}

    public record NodeInfo(
            String version,
            Software software,
            List<String> protocols,
            Services services,
            boolean openRegistrations,
            Usage usage,
            Map<String, Object> metadata) {}

    private final DiscoveryService discovery;
    private final PodUrls urls;
    private final String version;

    public NodeInfoResource(
            DiscoveryService discovery,
            PodUrls urls,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.discovery = discovery;
        this.urls = urls;
        this.version = version;
    }

    @GET
    @Produces(PROFILE_21)
    public Uni<NodeInfo> nodeInfo() {
        return discovery
                .usage()
                .map(u -> new NodeInfo(
                        "2.1",
                        new Software("transplant", version.toLowerCase(Locale.ROOT), null, null),
                        List.of("diaspora"),
                        new Services(List.of(), List.of()),
                        true,
                        new Usage(
                                new Users(u.users(), u.activeHalfyear(), u.activeMonth()),
                                u.localPosts(),
                                u.localComments()),
                        Map.of("nodeName", urls.host(), "accountMigration", Map.of("import", false, "export", false))));
    }
}
