package org.transplant.oidc.metadata;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transplant.oidc.Scopes;
import org.transplant.pod.PodUrls;

/**
 * OpenID Connect Discovery 1.0 and RFC 8414 metadata: one document under both names. It also names the migration
 * capability, the way LOLA advertises account portability in the authorization-server metadata.
 */
@Path("/.well-known")
public class ProviderMetadataResource {

    private final PodUrls urls;

    public ProviderMetadataResource(PodUrls urls) {
        this.urls = urls;
    }

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> openIdConfiguration() {
        return metadata();
    }

    @GET
    @Path("oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> authorizationServer() {
        return metadata();
    }

    private Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", urls.baseUrl());
        m.put("authorization_endpoint", urls.url("/oauth/authorize"));
        m.put("token_endpoint", urls.url("/oauth/token"));
        m.put("registration_endpoint", urls.url("/oauth/register"));
        m.put("revocation_endpoint", urls.url("/oauth/revoke"));
        m.put("userinfo_endpoint", urls.url("/oauth/userinfo"));
        m.put("jwks_uri", urls.url("/oauth/jwks"));
        m.put("scopes_supported", List.copyOf(Scopes.supported()));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put(
                "revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("prompt_values_supported", List.of("none", "login", "consent"));
        m.put(
                "claims_supported",
                List.of(
                        "sub",
                        "iss",
                        "aud",
                        "exp",
                        "iat",
                        "auth_time",
                        "nonce",
                        "at_hash",
                        "preferred_username",
                        "name",
                        "profile",
                        "picture"));
        m.put("authorization_response_iss_parameter_supported", true);
        // LOLA (SocialCG data portability) names the portability authorization endpoint here.
        m.put("activitypub_account_portability", urls.url("/oauth/authorize"));
        m.put(
                "transplant_migration",
                Map.of(
                        "api", urls.url("/migration/v1"),
                        "versions", List.of("1"),
                        "scopes", List.of(Scopes.MIGRATION_READ, Scopes.MIGRATION_MOVE, Scopes.BACKUP_READ)));
        return m;
    }
}
