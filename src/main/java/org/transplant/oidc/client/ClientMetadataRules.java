package org.transplant.oidc.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.Scopes;

/**
 * Checks a registration request (RFC 7591 §2) and fills in its defaults. A refusal is an {@link OAuthError} with
 * the codes of RFC 7591 §3.2.2: {@code invalid_redirect_uri} for a bad redirect URI, {@code
 * invalid_client_metadata} for anything else. Unknown fields are ignored, as RFC 7591 §2 asks.
 */
public final class ClientMetadataRules {

    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_URI_LENGTH = 2000;
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_SOFTWARE_ID_LENGTH = 200;
    static final String AUTHORIZATION_CODE = "authorization_code";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String CODE = "code";

    private static final Set<String> GRANT_TYPES = Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN);
    private static final Set<String> AUTH_METHODS =
            Set.of(RegisteredClient.AUTH_BASIC, RegisteredClient.AUTH_POST, RegisteredClient.AUTH_NONE);
    /** Loopback hosts may use plain http: native apps listen there (RFC 8252 §7.3). */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private ClientMetadataRules() {}

    public static ClientMetadata check(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw metadata("The request body must be a JSON object of client metadata");
        }
        List<String> redirectUris = redirectUris(body.get("redirect_uris"));
        String clientName = clientName(body.get("client_name"));
        List<String> grantTypes = grantTypes(body.get("grant_types"));
        List<String> responseTypes = responseTypes(body.get("response_types"));
        String authMethod = authMethod(body.get("token_endpoint_auth_method"));
        String clientUri = clientUri(body.get("client_uri"));
        String softwareId = optionalText(body.get("software_id"), "software_id", MAX_SOFTWARE_ID_LENGTH);
        checkScope(body.get("scope"));
        return new ClientMetadata(
                clientName, redirectUris, grantTypes, responseTypes, authMethod, clientUri, softwareId);
    }

    private static List<String> redirectUris(JsonNode node) {
        if (node == null || node.isNull()) {
            throw redirect("redirect_uris is required");
        }
        List<String> uris = strings(node, "redirect_uris", OAuthError.INVALID_REDIRECT_URI);
        if (uris.isEmpty() || uris.size() > MAX_REDIRECT_URIS) {
            throw redirect("redirect_uris must hold 1 to " + MAX_REDIRECT_URIS + " URIs");
        }
        uris.forEach(ClientMetadataRules::checkRedirectUri);
        return List.copyOf(new LinkedHashSet<>(uris));
    }

    /**
     * An absolute https URI, or http on a loopback host (RFC 8252 §7.3, OAuth 2.0 Security BCP §4.1.1), without a
     * fragment (RFC 6749 §3.1.2). It is later compared character for character, so it is stored as given.
     */
    static void checkRedirectUri(String value) {
        if (value.length() > MAX_URI_LENGTH) {
            throw redirect("A redirect URI is longer than " + MAX_URI_LENGTH + " characters");
        }
        URI uri = parse(value);
        if (uri == null || !uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw redirect("Not an absolute URI with a host: " + value);
        }
        if (uri.getRawFragment() != null) {
            throw redirect("A redirect URI must not have a fragment: " + value);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
        if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
            throw redirect("A redirect URI must use https (http only on localhost, 127.0.0.1 or [::1]): " + value);
        }
    }

    private static String clientName(JsonNode node) {
        if (node == null || node.isNull()) {
            throw metadata("client_name is required");
        }
        String name = text(node, "client_name").strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw metadata("client_name must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
        // The consent page shows the name to people: no control characters to disguise it.
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw metadata("client_name must not contain control characters");
        }
        return name;
    }

    /** Only the code flow is offered; without authorization_code a client could never get a token (§2.1). */
    private static List<String> grantTypes(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(AUTHORIZATION_CODE, REFRESH_TOKEN);
        }
        List<String> types =
                List.copyOf(new LinkedHashSet<>(strings(node, "grant_types", OAuthError.INVALID_CLIENT_METADATA)));
        if (!GRANT_TYPES.containsAll(types)) {
            throw metadata("grant_types may hold only authorization_code and refresh_token");
        }
        if (!types.contains(AUTHORIZATION_CODE)) {
            throw metadata("grant_types must include authorization_code");
        }
        return types;
    }

    private static List<String> responseTypes(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(CODE);
        }
        List<String> types = strings(node, "response_types", OAuthError.INVALID_CLIENT_METADATA);
        if (types.isEmpty() || !Set.of(CODE).containsAll(types)) {
            throw metadata("response_types may only be [\"code\"]");
        }
        return List.of(CODE);
    }

    private static String authMethod(JsonNode node) {
        if (node == null || node.isNull()) {
            return RegisteredClient.AUTH_BASIC;
        }
        String method = text(node, "token_endpoint_auth_method");
        if (!AUTH_METHODS.contains(method)) {
            throw metadata("token_endpoint_auth_method must be client_secret_basic, client_secret_post or none");
        }
        return method;
    }

    private static String clientUri(JsonNode node) {
        String value = optionalText(node, "client_uri", MAX_URI_LENGTH);
        if (value == null) {
            return null;
        }
        URI uri = parse(value);
        if (uri == null
                || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw metadata("client_uri must be an absolute http(s) URL");
        }
        return value;
    }

    /** Not stored: a client asks for scopes at the authorization endpoint. Checked so typos surface early. */
    private static void checkScope(JsonNode node) {
        String scope = optionalText(node, "scope", MAX_URI_LENGTH);
        if (scope != null && (Scopes.parse(scope) == null || Scopes.parse(scope).isEmpty())) {
            throw metadata(
                    "scope names a scope this pod does not offer; it offers: " + String.join(" ", Scopes.supported()));
        }
    }

    private static List<String> strings(JsonNode node, String field, String errorCode) {
        if (!node.isArray()) {
            throw new OAuthError(errorCode, field + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new OAuthError(errorCode, field + " must be an array of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static String optionalText(JsonNode node, String field, int maxLength) {
        if (node == null || node.isNull()) {
            return null;
        }
        String value = text(node, field);
        if (value.isBlank() || value.length() > maxLength) {
            throw metadata(field + " must have 1 to " + maxLength + " characters");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw metadata(field + " must be a string");
        }
        return node.asText();
    }

    private static URI parse(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static OAuthError redirect(String description) {
        return new OAuthError(OAuthError.INVALID_REDIRECT_URI, description);
    }

    private static OAuthError metadata(String description) {
        return new OAuthError(OAuthError.INVALID_CLIENT_METADATA, description);
    }
}
