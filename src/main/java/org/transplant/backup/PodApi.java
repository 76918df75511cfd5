package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Every request the client makes to its pod: only to the pod's own origin (the token goes nowhere else), with the
 * access token refreshed when it lapses, {@code Retry-After} honoured on 429 and 503, other errors backed off
 * (1 s doubling to 60 s), bodies bounded, and all of it within the patience the person gave. Counts its requests.
 */
final class PodApi {

    static final String USER_AGENT = "transplant-backup/1";
    /** The largest JSON answer read: a page of 1,000 posts with their comments is far below it. */
    static final int MAX_JSON_BYTES = 64 << 20;

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final long MAX_BACKOFF_SECONDS = 60;
    /** The longest single wait a Retry-After may ask for; a longer one is waited in turns of this. */
    private static final long MAX_RETRY_AFTER_SECONDS = 600;

    private final HttpClient http;
    private final BackupFolder folder;
    private final ObjectNode credentials;
    private final URI origin;
    private final Duration patience;
    private final Sleeper sleeper;
    private String accessToken;
    private long accessUntil;
    private int requests;

    /** How the client waits; a test's could count instead. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    PodApi(BackupFolder folder, ObjectNode credentials, Duration patience) {
        this(folder, credentials, patience, duration -> Thread.sleep(duration.toMillis()));
    }

    PodApi(BackupFolder folder, ObjectNode credentials, Duration patience, Sleeper sleeper) {
        this.http = client();
        this.folder = folder;
        this.credentials = credentials;
        this.origin = origin(URI.create(credentials.get("pod").asText()));
        this.patience = patience;
        this.sleeper = sleeper;
    }

    static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
    }

    /** Starts with the access token a consent just gave, so the first request spends no refresh. */
    void useAccessToken(String token, long expiresIn) {
        accessToken = token;
        accessUntil = System.nanoTime()
                + Duration.ofSeconds(Math.max(expiresIn - 60, 10)).toNanos();
    }

    int requests() {
        return requests;
    }

    /** A JSON document of the pod (the account, a page). */
    JsonNode json(URI uri) {
        HttpResponse<InputStream> response = send(uri, Map.of("Accept", "application/json"));
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw unexpected(uri, response.statusCode());
            }
            return BackupJson.parse(
                    Bounded.read(body, MAX_JSON_BYTES, Words.cut(uri.getPath(), 200)),
                    "The answer to " + Words.cut(uri.getPath(), 200));
        } catch (IOException e) {
            throw new BackupFailure(
                    BackupFailure.Kind.POD_UNREACHABLE, "Reading " + Words.cut(uri.getPath(), 200) + " failed: " + e);
        }
    }

    /**
     * A GET with the token, answered with any status but those the client handles itself (401 refreshes the token
     * once; 429, 503 and other 5xx wait and try again). The caller closes the body.
     */
    HttpResponse<InputStream> send(URI uri, Map<String, String> headers) {
        ensureSameOrigin(uri);
        long deadline = System.nanoTime() + patience.toNanos();
        long backoff = 1;
        boolean refreshed = false;
        while (true) {
            HttpResponse<InputStream> response;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                        .timeout(REQUEST_TIMEOUT)
                        .header("User-Agent", USER_AGENT)
                        .header("Authorization", "Bearer " + accessToken());
                headers.forEach(request::header);
                requests++;
                response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                backoff = wait(
                        deadline,
                        backoff,
                        null,
                        "the pod does not answer (" + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupFailure(BackupFailure.Kind.FAILED, "Interrupted");
            }
            int status = response.statusCode();
            if (status == 401 && !refreshed) {
                discard(response);
                refreshed = true;
                refresh();
                continue;
            }
            if (status == 401 || status == 403) {
                discard(response);
                throw new BackupFailure(
                        BackupFailure.Kind.CONSENT,
                        "The pod refused the backup's authorization (" + status + " for "
                                + Words.cut(uri.getPath(), 200) + "): it was"
                                + " revoked under Apps, it lapsed, or the account moved. Run `transplant-backup init`"
                                + " again for this folder; what is already backed up stays.");
            }
            if (status == 429 || status >= 500) {
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                discard(response);
                backoff = wait(
                        deadline,
                        backoff,
                        status == 429 || status == 503 ? retryAfter : null,
                        "the pod answered " + status);
                continue;
            }
            return response;
        }
    }

    /** Waits as the pod asked, or backs off; past the patience, gives up. Returns the next backoff. */
    private long wait(long deadline, long backoff, String retryAfter, String why) {
        Long asked = retryAfter == null ? null : retryAfterSeconds(retryAfter);
        long seconds = asked != null ? Math.min(Math.max(asked, 1), MAX_RETRY_AFTER_SECONDS) : backoff;
        if (System.nanoTime() + Duration.ofSeconds(seconds).toNanos() > deadline) {
            throw new BackupFailure(
                    BackupFailure.Kind.POD_UNREACHABLE,
                    "Gave up after " + patience.toSeconds() + " s: " + why + ". Nothing is lost: run pull again"
                            + " later and it resumes where it stopped.");
        }
        Progress.note("Waiting " + seconds + " s: " + why + (asked != null ? " (Retry-After)" : ""));
        try {
            sleeper.sleep(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure(BackupFailure.Kind.FAILED, "Interrupted");
        }
        return asked != null ? backoff : Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
    }

    /** Retry-After as seconds (RFC 9110 §10.2.3: a number of seconds or an HTTP date); null when unreadable. */
    static Long retryAfterSeconds(String value) {
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            return Long.parseLong(text);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(
                    0, Duration.between(ZonedDateTime.now(at.getZone()), at).toSeconds());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private String accessToken() {
        if (accessToken == null || System.nanoTime() - accessUntil > 0) {
            refresh();
        }
        return accessToken;
    }

    /** Trades the refresh token for a new pair, and keeps the new refresh token before anything else happens. */
    private void refresh() {
        ObjectNode tokens = Tokens.request(
                http,
                URI.create(credentials.get("tokenEndpoint").asText()),
                form(Map.of(
                        "grant_type", "refresh_token",
                        "refresh_token", credentials.get("refreshToken").asText(),
                        "client_id", credentials.get("clientId").asText())));
        credentials.put("refreshToken", tokens.get("refresh_token").asText());
        folder.writeState(Credentials.FILE, credentials);
        accessToken = tokens.get("access_token").asText();
        long lifetime = tokens.path("expires_in").asLong(300);
        // A minute early, so a token never lapses between the check and the request.
        accessUntil = System.nanoTime()
                + Duration.ofSeconds(Math.max(lifetime - 60, 10)).toNanos();
    }

    static String form(Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((k, v) -> body.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** The pod's origin only: a page's {@code next} or a photo's URL elsewhere never receives the token. */
    void ensureSameOrigin(URI uri) {
        if (!origin(uri).equals(origin)) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED,
                    "The pod pointed the backup at another server (" + uri.getScheme() + "://" + uri.getAuthority()
                            + "); the backup sends its token to " + origin + " only.");
        }
    }

    URI resolve(String pathAndQuery) {
        return origin.resolve(pathAndQuery);
    }

    static URI origin(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new BackupFailure(BackupFailure.Kind.FAILED, "Not an absolute URL: " + uri);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return URI.create(uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port + "/");
    }

    private static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // The answer is not used; a connection dropped while closing changes nothing.
        }
    }

    static BackupFailure unexpected(URI uri, int status) {
        return new BackupFailure(
                BackupFailure.Kind.FAILED,
                "The pod answered " + status + " for " + Words.cut(uri.getPath(), 200) + "; the backup"
                        + " cannot go on. What is already backed up is kept.");
    }
}
