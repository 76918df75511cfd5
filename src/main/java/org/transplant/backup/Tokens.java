package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;

/** The token endpoint (RFC 6749 §4.1.3, §6), as a public native client: no secret, its client_id in the form. */
final class Tokens {

    private static final int ATTEMPTS = 3;

    private Tokens() {}

    /** The token answer, which must carry an access token and a refresh token. */
    static ObjectNode request(HttpClient http, URI endpoint, String form) {
        for (int attempt = 1; ; attempt++) {
            SmallExchange.Answer response;
            try {
                response = SmallExchange.post(http, endpoint, "application/x-www-form-urlencoded", form);
            } catch (BackupFailure e) {
                if (e.kind() != BackupFailure.Kind.POD_UNREACHABLE || attempt >= ATTEMPTS) {
                    throw e;
                }
                sleep(2000L * attempt);
                continue;
            }
            int status = response.status();
            if (status >= 500 && attempt < ATTEMPTS) {
                sleep(2000L * attempt);
                continue;
            }
            JsonNode answer = BackupJson.parse(response.body(), "The token endpoint's answer");
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
