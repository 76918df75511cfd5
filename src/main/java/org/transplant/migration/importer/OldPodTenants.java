package org.transplant.migration.importer;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.transplant.migration.importer.RemotePods.RemotePod;
import org.transplant.outbound.OidcProxy;
import org.transplant.pod.crypto.Sha256;
import org.transplant.web.SecureCookies;

/**
 * quarkus-oidc as the client of an old pod chosen at run time: under {@code /import/connect/} a request names a
 * job (the start of the code flow) or a registered pod (its callback), and gets a web-app tenant for that pod.
 * Its cookies stay under that path, so they never reach this pod's own provider endpoints. Every other path keeps
 * the default tenant (this pod's own bearer tokens).
 */
@ApplicationScoped
public class OldPodTenants implements TenantConfigResolver {

    static final String PREFIX = "/import/connect/";
    static final String TENANT_PREFIX = "old-pod-";

    private final ImportJobs jobs;
    private final RemotePods pods;
    private final OidcProxy proxy;
    private final Map<Long, OidcTenantConfig> tenants = new ConcurrentHashMap<>();

    public OldPodTenants(ImportJobs jobs, RemotePods pods, OidcProxy proxy) {
        this.jobs = jobs;
        this.pods = pods;
        this.proxy = proxy;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> request) {
        String path = context.normalizedPath();
        if (!path.startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        String rest = path.substring(PREFIX.length());
        Uni<RemotePod> pod = rest.startsWith("callback/")
                ? pods.byCallbackKey(rest.substring("callback/".length()))
                : jobs.remotePodOf(rest)
                        .chain(id ->
                                id != null ? pods.byId(id) : Uni.createFrom().nullItem());
        // An unknown job or pod gets no tenant: the resource then answers 404.
        return pod.map(found -> found == null ? null : tenants.computeIfAbsent(found.id(), id -> tenant(found)));
    }

    private OidcTenantConfig tenant(RemotePod pod) {
        return OidcTenantConfig.builder()
                .tenantId(TENANT_PREFIX + pod.id())
                .applicationType(ApplicationType.WEB_APP)
                .authServerUrl(pod.issuer())
                .clientId(pod.clientId())
                .credentials(pod.clientSecret())
                // quarkus-oidc's own calls go through the outbound policy, and never where a 3xx points.
                .proxy(proxy.host(), proxy.port())
                .followRedirects(false)
                .authentication()
                .scopes(ImportScopes.LIST)
                .pkceRequired(true)
                // PKCE's verifier travels in the state cookie, encrypted with this secret.
                .stateSecret(Sha256.hex(("state:" + pod.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .redirectPath(RemotePods.CALLBACK_PATH + pod.callbackKey())
                .restorePathAfterRedirect(true)
                .cookiePath("/import/connect")
                // Behind a TLS proxy the request may be plain http: the public URL decides.
                .cookieForceSecure(SecureCookies.publicUrlIsHttps())
                .forceRedirectHttpsScheme(SecureCookies.publicUrlIsHttps())
                .userInfoRequired(false)
                .end()
                .build();
    }
}
