package org.transplant.oidc.client;

import java.util.List;

/** Client metadata (RFC 7591 §2) after {@link ClientMetadataRules} accepted it, with the defaults filled in. */
public record ClientMetadata(
        String clientName,
        List<String> redirectUris,
        List<String> grantTypes,
        List<String> responseTypes,
        String tokenEndpointAuthMethod,
        String clientUri,
        String softwareId) {}
