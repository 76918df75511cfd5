package org.transplant.oidc.client;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.transplant.oidc.OAuthError;
import org.transplant.pod.session.SessionTokens;

/** Stores registered clients and authenticates them at the token and revocation endpoints. */
@ApplicationScoped
public class ClientRegistry {

    /** A registration as stored; the secret is returned once to the client and kept only as a hash. */
    public record Registration(RegisteredClient client, String clientSecret) {
        @Override
        public String toString() {
            return "Registration[" + client.clientId() + "]";
        }
    }

    private final Pool pool;

    public ClientRegistry(Pool pool) {
        this.pool = pool;
    }

    public Uni<Registration> register(
            String clientName,
            List<String> redirectUris,
            List<String> grantTypes,
            String authMethod,
            String clientUri,
            String softwareId) {
        String clientId = SessionTokens.newToken();
        String secret = RegisteredClient.AUTH_NONE.equals(authMethod) ? null : SessionTokens.newToken();
        return pool.preparedQuery("INSERT INTO oidc_clients (client_id, secret_hash, client_name, redirect_uris,"
                        + " grant_types, token_endpoint_auth_method, client_uri, software_id) VALUES ($1, $2, $3, $4, $5, $6,"
                        + " $7, $8) RETURNING created_at")
                .execute(Tuple.from(Arrays.asList(
                        clientId,
                        secret == null ? null : SessionTokens.hash(secret),
                        clientName,
                        redirectUris.toArray(String[]::new),
                        grantTypes.toArray(String[]::new),
                        authMethod,
                        clientUri,
                        softwareId)))
                .map(rows -> new Registration(
                        new RegisteredClient(
                                clientId,
                                clientName,
                                List.copyOf(redirectUris),
                                List.copyOf(grantTypes),
                                authMethod,
                                clientUri,
                                rows.iterator().next().getOffsetDateTime(0).toInstant()),
                        secret));
    }

    /** The client, or null when no client has that id. */
    public Uni<RegisteredClient> find(String clientId) {
        if (clientId == null || clientId.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT * FROM oidc_clients WHERE client_id = $1")
                .execute(Tuple.of(clientId))
                .map(rows ->
                        rows.iterator().hasNext() ? toClient(rows.iterator().next()) : null);
    }

    /**
     * Authenticates a client as it registered (RFC 6749 §2.3): HTTP Basic, the form's client_secret, or, for a
     * public client, only its client_id (then PKCE carries the proof). Anything else is invalid_client.
     */
    public Uni<RegisteredClient> authenticate(String authorization, String formClientId, String formSecret) {
        Credentials credentials = Credentials.of(authorization, formClientId, formSecret);
        if (credentials == null) {
            return Uni.createFrom().failure(new OAuthError(OAuthError.INVALID_CLIENT, "Client authentication failed"));
        }
        return pool.preparedQuery("SELECT * FROM oidc_clients WHERE client_id = $1")
                .execute(Tuple.of(credentials.clientId()))
                .map(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    if (row == null || !credentials.matches(row)) {
                        throw new OAuthError(OAuthError.INVALID_CLIENT, "Client authentication failed");
                    }
                    return toClient(row);
                });
    }

    private record Credentials(String clientId, String secret, String method) {

        static Credentials of(String authorization, String formClientId, String formSecret) {
            if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(
                            Base64.getDecoder()
                                    .decode(authorization.substring(6).trim()),
                            StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon <= 0) {
                        return null;
                    }
                    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
                    return new Credentials(
                            urlDecode(decoded.substring(0, colon)),
                            urlDecode(decoded.substring(colon + 1)),
                            RegisteredClient.AUTH_BASIC);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            if (formClientId == null || formClientId.isBlank()) {
                return null;
            }
            return formSecret == null
                    ? new Credentials(formClientId, null, RegisteredClient.AUTH_NONE)
                    : new Credentials(formClientId, formSecret, RegisteredClient.AUTH_POST);
        }

        boolean matches(Row row) {
            String registered = row.getString("token_endpoint_auth_method");
            if (!registered.equals(method)) {
                return false;
            }
            if (RegisteredClient.AUTH_NONE.equals(method)) {
                return true;
            }
            String hash = row.getString("secret_hash");
            return hash != null
                    && MessageDigest.isEqual(
                            hash.getBytes(StandardCharsets.UTF_8),
                            SessionTokens.hash(secret).getBytes(StandardCharsets.UTF_8));
        }

        private static String urlDecode(String value) {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
    }

    private static RegisteredClient toClient(Row row) {
        return new RegisteredClient(
                row.getString("client_id"),
                row.getString("client_name"),
                List.of(row.getArrayOfStrings("redirect_uris")),
                List.of(row.getArrayOfStrings("grant_types")),
                row.getString("token_endpoint_auth_method"),
                row.getString("client_uri"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
