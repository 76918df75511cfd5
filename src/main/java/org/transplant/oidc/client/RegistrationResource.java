package org.transplant.oidc.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.transplant.oidc.OAuthError;
import org.transplant.web.ClientLimits;

/**
 * {@code POST /oauth/register}: open dynamic client registration (RFC 7591 §3), as diaspora*'s provider offers. The
 * body is read as text and parsed here so that even unreadable JSON is answered with the RFC 7591 §3.2.2 error
 * JSON, not the pod's problem+json.
 */
@Path("/oauth/register")
public class RegistrationResource {

    private final ClientRegistry registry;
    private final ObjectMapper json;
    private final ClientLimits limits;
    private final RoutingContext context;

    public RegistrationResource(
            ClientRegistry registry, ObjectMapper json, ClientLimits limits, RoutingContext context) {
        this.registry = registry;
        this.json = json;
        this.limits = limits;
        this.context = context;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> register(String body) {
        // Registration is open, so each address gets a share (a 429 problem beyond it, with Retry-After).
        limits.registration(context.request());
        ClientMetadata metadata = ClientMetadataRules.check(parse(body));
        return registry.register(
                        metadata.clientName(),
                        metadata.redirectUris(),
                        metadata.grantTypes(),
                        metadata.tokenEndpointAuthMethod(),
                        metadata.clientUri(),
                        metadata.softwareId())
                .map(registration -> Response.status(Response.Status.CREATED)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header("Pragma", "no-cache")
                        .entity(ClientInformation.of(registration, metadata))
                        .build());
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new OAuthError(OAuthError.INVALID_CLIENT_METADATA, "The request body is empty");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new OAuthError(OAuthError.INVALID_CLIENT_METADATA, "The request body is not valid JSON");
        }
    }
}
