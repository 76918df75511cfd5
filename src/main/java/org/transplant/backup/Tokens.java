package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The token endpoint (RFC 6749 §4.1.3, §6), as a public native client: no secret, its client_id in the form. */
final class Tokens {

    private static final int ATTEMPTS = 3;

    private Tokens() {}

    /** The token answer, which must carry an access token and a refresh token. */
    static ObjectNode request(HttpClient http, URI endpoint, String form) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<InputStream> response = http.send(
                        HttpRequest.newBuilder(endpoint)
                                .timeout(Duration.ofSeconds(60))
                                .header("User-Agent", PodApi.USER_AGENT)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Accept", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                byte[] body;
                try (InputStream in = response.body()) {
                    body = Bounded.read(in, 1 << 20, "the token request");
                }
                int status = response.statusCode();
                if (status >= 500 && attempt < ATTEMPTS) {
                    Thread.sleep(2000L * attempt);
                    continue;
                }
                JsonNode answer = BackupJson.parse(body, "The token endpoint's answer");
                if (status == 400 || status == 401) {
                    throw new BackupFailure(
                            BackupFailure.Kind.CONSENT,
                            "The pod no longer honours the backup's authorization ("
                                    + Words.cut(BackupJson.text(answer, "error"), 60)
                                    + "): it was revoked under Apps, it lapsed, or the account moved. Run"
                                    + " `transplant-backup init` again for this folder; what is already backed up"
                                    + " stays.");
                }
                if (status != 200
                        || BackupJson.text(answer, "access_token") == null
                        || BackupJson.text(answer, "refresh_token") == null) {
                    throw new BackupFailure(
                            BackupFailure.Kind.FAILED,
                            "The pod's token endpoint answered " + status + " without an access and a refresh token");
                }
                return (ObjectNode) answer;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw new BackupFailure(
                            BackupFailure.Kind.POD_UNREACHABLE, "The pod's token endpoint does not answer: " + e);
                }
                sleep(2000L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupFailure(BackupFailure.Kind.FAILED, "Interrupted");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure(BackupFailure.Kind.FAILED, "Interrupted");
        }
    }
}
