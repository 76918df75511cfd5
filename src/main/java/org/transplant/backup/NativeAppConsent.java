package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a native app is authorized (RFC 8252): it registers with the pod as a public client (RFC 7591, no secret),
 * listens on a loopback port for the redirect, sends the person to the pod's consent page with PKCE (S256) and a
 * state, and trades the code for tokens. The person's password never passes through the client.
 */
final class NativeAppConsent {

    static final String SCOPE = "backup:read";

    private final HttpClient http = PodApi.client();
    private final URI pod;
    private final SecureRandom random = new SecureRandom();

    NativeAppConsent(URI pod) {
        this.pod = pod;
    }

    /** What the consent gave: the credentials to keep and a first access token. */
    record Granted(ObjectNode credentials, String accessToken, long expiresIn) {}

    /**
     * Runs the whole consent: {@code since} and {@code until} (YYYY-MM-DD, either may be null) are proposed on the
     * consent page, where the person may change them; {@code announce} gets the URL to open.
     */
    Granted authorize(String since, String until, Duration wait, boolean openBrowser) {
        JsonNode metadata = metadata();
        String authorizationEndpoint = endpoint(metadata, "authorization_endpoint");
        String tokenEndpoint = endpoint(metadata, "token_endpoint");
        String registrationEndpoint = endpoint(metadata, "registration_endpoint");
        try (Loopback loopback = Loopback.start()) {
            String redirectUri = loopback.redirectUri();
            String clientId = register(registrationEndpoint, redirectUri);
            String verifier = randomText(32);
            String state = randomText(16);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("response_type", "code");
            query.put("client_id", clientId);
            query.put("redirect_uri", redirectUri);
            query.put("scope", SCOPE);
            query.put("state", state);
            query.put("code_challenge", challenge(verifier));
            query.put("code_challenge_method", "S256");
            if (since != null) {
                query.put("backup_from", since);
            }
            if (until != null) {
                query.put("backup_until", until);
            }
            String url = authorizationEndpoint + "?" + PodApi.form(query);
            System.out.println("Open this address in your browser, log in to your pod and allow the backup:");
            System.out.println();
            System.out.println("  " + url);
            System.out.println();
            System.out.flush();
            if (openBrowser) {
                Browser.open(url);
            }
            Map<String, String> answer = loopback.await(wait);
            if (!state.equals(answer.get("state"))) {
                throw new BackupFailure(
                        BackupFailure.Kind.CONSENT,
                        "The answer that came back is not for this request (state differs)");
            }
            if (answer.containsKey("error")) {
                throw new BackupFailure(
                        BackupFailure.Kind.CONSENT,
                        "access_denied".equals(answer.get("error"))
                                ? "You did not allow the backup; nothing was set up."
                                : "The pod refused: " + Words.cut(answer.get("error"), 60) + " ("
                                        + Words.cut(answer.get("error_description"), 200) + ")");
            }
            String code = answer.get("code");
            if (code == null) {
                throw new BackupFailure(BackupFailure.Kind.CONSENT, "The pod sent no code back");
            }
            ObjectNode tokens = Tokens.request(
                    http,
                    URI.create(tokenEndpoint),
                    PodApi.form(Map.of(
                            "grant_type", "authorization_code",
                            "code", code,
                            "redirect_uri", redirectUri,
                            "client_id", clientId,
                            "code_verifier", verifier)));
            ObjectNode credentials = BackupJson.object();
            credentials.put("pod", pod.toString());
            credentials.put("tokenEndpoint", tokenEndpoint);
            credentials.put("clientId", clientId);
            credentials.put("redirectUri", redirectUri);
            credentials.put("authorizedAt", Instant.now().toString());
            credentials.put("refreshToken", tokens.get("refresh_token").asText());
            return new Granted(
                    credentials,
                    tokens.get("access_token").asText(),
                    tokens.path("expires_in").asLong(300));
        }
    }

    /** The pod's authorization server metadata (RFC 8414); its endpoints must be on the pod's own origin. */
    private JsonNode metadata() {
        URI uri = pod.resolve("/.well-known/oauth-authorization-server");
        JsonNode metadata = BackupJson.parse(get(uri), "The pod's " + uri.getPath());
        if (!metadata.isObject()) {
            throw new BackupFailure(BackupFailure.Kind.FAILED, "The pod's " + uri.getPath() + " is not a JSON object");
        }
        return metadata;
    }

    private String endpoint(JsonNode metadata, String name) {
        String value = BackupJson.text(metadata, name);
        if (value == null) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED, "The pod names no " + name + ": it does not take backup apps");
        }
        URI uri = URI.create(value);
        if (!PodApi.origin(uri).equals(PodApi.origin(pod))) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED,
                    "The pod's " + name + " is on another server (" + Words.cut(uri.getAuthority(), 80)
                            + "); the backup talks to " + pod + " only.");
        }
        return value;
    }

    /** Registers as a public native client; a new registration for every init, its redirect on this port. */
    private String register(String endpoint, String redirectUri) {
        ObjectNode body = BackupJson.object();
        body.put("client_name", "Transplant backup (" + hostName() + ")");
        body.putArray("redirect_uris").add(redirectUri);
        body.put("token_endpoint_auth_method", "none");
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        body.put("software_id", "transplant-backup");
        SmallExchange.Answer answer =
                SmallExchange.post(http, URI.create(endpoint), "application/json", BackupJson.line(body));
        JsonNode client = BackupJson.parse(answer.body(), "The registration's answer");
        if (answer.status() != 201 || BackupJson.text(client, "client_id") == null) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED,
                    "The pod did not register the backup as an app (" + answer.status() + ": "
                            + Words.cut(BackupJson.text(client, "error_description"), 200) + ")");
        }
        return client.get("client_id").asText();
    }

    private byte[] get(URI uri) {
        SmallExchange.Answer answer = SmallExchange.get(http, uri);
        if (answer.status() != 200) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED,
                    pod + " answered " + answer.status() + " for " + uri.getPath() + ": is it a Transplant pod?");
        }
        return answer.body();
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostName() {
        try {
            return Words.cut(InetAddress.getLocalHost().getHostName(), 40);
        } catch (IOException e) {
            return "this computer";
        }
    }

    /** The loopback listener the pod's consent page sends the browser back to (RFC 8252 §7.3). */
    static final class Loopback implements AutoCloseable {

        private final HttpServer server;
        private final CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();

        private Loopback(HttpServer server) {
            this.server = server;
        }

        static Loopback start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
                Loopback loopback = new Loopback(server);
                server.createContext("/callback", loopback::handle);
                server.start();
                return loopback;
            } catch (IOException e) {
                throw new BackupFailure(BackupFailure.Kind.FAILED, "Cannot listen on a loopback port: " + e);
            }
        }

        String redirectUri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
        }

        private void handle(HttpExchange exchange) throws IOException {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean first = !answer.isDone();
            String words = !first
                    ? "This answer came twice; the first was used."
                    : query.containsKey("code")
                            ? "The backup is authorized. You can close this tab and go back to the terminal."
                            : "The backup was not authorized. You can close this tab.";
            byte[] page = ("<!DOCTYPE html><meta charset=utf-8><title>Transplant backup</title><p>" + words)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'none'");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            // Only once the browser has its page: the listener stops as soon as the answer is taken.
            answer.complete(query);
        }

        Map<String, String> await(Duration wait) {
            try {
                return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new BackupFailure(
                        BackupFailure.Kind.CONSENT,
                        "No answer from the browser within " + wait.toMinutes() + " minutes; run init again.");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupFailure(BackupFailure.Kind.FAILED, "Interrupted");
            }
        }

        private static Map<String, String> query(String raw) {
            Map<String, String> values = new HashMap<>();
            if (raw == null) {
                return values;
            }
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            }
            return values;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
