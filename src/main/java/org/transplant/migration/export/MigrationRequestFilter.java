package org.transplant.migration.export;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.oidc.resource.BearerToken;
import org.transplant.web.TokenBuckets;

/**
 * Every /migration/v1 call: the client's rate limit first; every answer names the format version and, to a
 * span-limited token, its span ({@link SpanHeader}).
 */
public class MigrationRequestFilter {

    /** The request property that carries the span header from the request filter to the response filter. */
    private static final String SPAN = "transplant.backup-span";

    private final CurrentIdentityAssociation identities;
    private final ClientRateLimiter limiter;

    public MigrationRequestFilter(CurrentIdentityAssociation identities, ClientRateLimiter limiter) {
        this.identities = identities;
        this.limiter = limiter;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        if (!isMigration(request)) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            BearerToken token = BearerToken.of(identity);
            if (token == null) {
                return null;
            }
            String span = SpanHeader.value(token.spanFrom(), token.spanUntil());
            if (span != null) {
                request.setProperty(SPAN, span);
            }
            Duration wait = limiter.acquire(token.clientId());
            if (wait == null) {
                return null;
            }
            return TokenBuckets.tooManyRequests(wait, "This client is over its share")
                    .header(MigrationFormat.VERSION_HEADER, MigrationFormat.VERSION)
                    .header(SpanHeader.NAME, span)
                    .build();
        });
    }

    @ServerResponseFilter
    public void version(ContainerRequestContext request, ContainerResponseContext response) {
        if (isMigration(request)) {
            response.getHeaders().putSingle(MigrationFormat.VERSION_HEADER, MigrationFormat.VERSION);
            if (request.getProperty(SPAN) instanceof String span) {
                response.getHeaders().putSingle(SpanHeader.NAME, span);
            }
        }
    }

    private static boolean isMigration(ContainerRequestContext request) {
        return request.getUriInfo().getPath().startsWith("/migration/");
    }
}
