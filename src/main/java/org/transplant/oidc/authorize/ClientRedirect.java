package org.transplant.oidc.authorize;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.transplant.pod.PodUrls;

/**
 * Builds the authorization response (RFC 6749 §4.1.2) back to the client's registered redirect URI: the code or
 * the error, the client's {@code state}, and {@code iss} (RFC 9207) so the client can tell which provider
 * answered. Query parameters the redirect URI was registered with are kept (RFC 6749 §3.1.2).
 */
@ApplicationScoped
public class ClientRedirect {

    private final PodUrls urls;

    public ClientRedirect(PodUrls urls) {
        this.urls = urls;
    }

    public URI withCode(ValidAuthorization request, String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        return to(request.redirectUri(), params, request.state());
    }

    public URI withError(AuthorizationRefusal refusal) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", refusal.code());
        params.put("error_description", refusal.description());
        return to(refusal.redirectUri(), params, refusal.state());
    }

    private URI to(String redirectUri, Map<String, String> params, String state) {
        if (state != null) {
            params.put("state", state);
        }
        params.put("iss", urls.baseUrl());
        String query = params.entrySet().stream()
                .map(e -> AuthorizationRequest.encode(e.getKey()) + "=" + AuthorizationRequest.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String separator = !redirectUri.contains("?") ? "?" : redirectUri.endsWith("?") ? "" : "&";
        return URI.create(redirectUri + separator + query);
    }
}
