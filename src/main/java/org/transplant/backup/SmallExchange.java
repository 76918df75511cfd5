package org.transplant.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One request without a token whose answer is small (discovery, registration, the token endpoint): at most 1 MiB
 * read, within a minute. A pod that does not answer is {@link BackupFailure.Kind#POD_UNREACHABLE}.
 */
final class SmallExchange {

    private static final int MAX_BYTES = 1 << 20;

    record Answer(int status, byte[] body) {}

    private SmallExchange() {}

    static Answer get(HttpClient http, URI uri) {
        return send(http, HttpRequest.newBuilder(uri).GET());
    }

    static Answer post(HttpClient http, URI uri, String contentType, String body) {
        return send(
                http,
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Answer send(HttpClient http, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(60))
                .header("User-Agent", PodApi.USER_AGENT)
                .header("Accept", "application/json")
                .build();
        try {
            HttpResponse<InputStream> response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return new Answer(
                        response.statusCode(),
                        Bounded.read(in, MAX_BYTES, built.uri().getPath()));
            }
        } catch (IOException e) {
            throw new BackupFailure(
                    BackupFailure.Kind.POD_UNREACHABLE,
                    "The pod does not answer " + built.uri().getPath() + ": "
                            + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure(BackupFailure.Kind.FAILED, "Interrupted");
        }
    }
}
