package org.transplant.oidc.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The client information response (RFC 7591 §3.2.1): the credentials and every registered metadata value. The
 * secret appears here once; the pod keeps only its hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientInformation(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("client_id_issued_at") long clientIdIssuedAt,
        // REQUIRED when a secret is issued; 0 means it never expires (§3.2.1).
        @JsonProperty("client_secret_expires_at") Long clientSecretExpiresAt,
        @JsonProperty("client_name") String clientName,
        @JsonProperty("redirect_uris") List<String> redirectUris,
        @JsonProperty("grant_types") List<String> grantTypes,
        @JsonProperty("response_types") List<String> responseTypes,
        @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
        @JsonProperty("client_uri") String clientUri,
        @JsonProperty("software_id") String softwareId) {

    static ClientInformation of(ClientRegistry.Registration registration, ClientMetadata metadata) {
        RegisteredClient client = registration.client();
        String secret = registration.clientSecret();
        return new ClientInformation(
                client.clientId(),
                secret,
                client.createdAt().getEpochSecond(),
                secret == null ? null : 0L,
                client.clientName(),
                client.redirectUris(),
                client.grantTypes(),
                metadata.responseTypes(),
                client.tokenEndpointAuthMethod(),
                client.clientUri(),
                metadata.softwareId());
    }

    @Override
    public String toString() {
        return "ClientInformation[" + clientId + "]";
    }
}
