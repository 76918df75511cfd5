package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

/**
 * An old pod that answers the move with words of its own: a refusal whose problem carries a script and a phishing
 * text, a refusal of a known type with the same text, a report on its move notices full of it. The person reads
 * none of it, on the progress page or in the API: only this pod's own sentences.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RemoteWordsImportTest {

    private static final String PHISHING = "<script>alert(document.cookie)</script>Your account is locked: enter"
            + " your password at https://evil.example/login";

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    @Test
    void aRefusalOfAnUnknownTypeIsToldByItsStatusOnly() throws Throwable {
        try (EmptyOldPod old = EmptyOldPod.start(
                409,
                new JsonObject()
                        .put("type", "https://evil.example/problems/locked")
                        .put("title", PHISHING)
                        .put("status", 409)
                        .put("detail", PHISHING),
                null)) {
            String username = "rw_unknown";
            String job = imports().start(username, old.issuer(), "SKIP");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error")).isEqualTo("The old pod refused the move (HTTP 409).");
            assertNothingOfTheEmptyOldPodShown(username, job, "The old pod refused the move (HTTP 409).");
        }
    }

    @Test
    void aRefusalOfAKnownTypeIsToldInThisPodsWords() throws Throwable {
        try (EmptyOldPod old = EmptyOldPod.start(
                403,
                new JsonObject()
                        .put("type", "https://transplant.social/problems/move-destination-mismatch")
                        .put("status", 403)
                        .put("detail", PHISHING),
                null)) {
            String username = "rw_known";
            String job = imports().start(username, old.issuer(), "SKIP");
            Row ended = imports().awaitEnd(job);

            assertThat(ended.getString("state")).isEqualTo("FAILED");
            assertThat(ended.getString("error")).contains("did not agree to move to this pod");
            assertNothingOfTheEmptyOldPodShown(username, job, "did not agree to move to this pod");
        }
    }

    @Test
    void theEmptyOldPodsReportOnItsNoticesIsWordedHere() throws Throwable {
        JsonObject report = new JsonObject()
                .put("accepted", 0)
                .put("refused", 3)
                .put("unreachable", 0)
                .put("pending", 0)
                .put(
                        "pods",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("pod", "friends.example")
                                        .put("state", "REFUSED")
                                        .put("reason", "bad-signature")
                                        .put("outcome", PHISHING))
                                .add(new JsonObject()
                                        .put("pod", "other.example:8443")
                                        .put("state", "REFUSED")
                                        .put("reason", PHISHING)
                                        .put("outcome", PHISHING))
                                // Not a host name: the whole entry is dropped.
                                .add(new JsonObject()
                                        .put("pod", PHISHING)
                                        .put("state", "REFUSED")
                                        .put("reason", "bad-signature")));
        try (EmptyOldPod old = EmptyOldPod.start(200, null, report)) {
            String username = "rw_report";
            String job = imports().start(username, old.issuer(), "SKIP");
            assertThat(imports().awaitEnd(job).getString("state")).isEqualTo("DONE");
            Until.seen("the report to be read", () -> noticesRead(job), read -> read);
            String signature = "that pod could not verify the notice's signature with the key it holds";
            assertNothingOfTheEmptyOldPodShown(username, job, signature);
            JsonPath status = PodClient.as(PodClient.logIn(username))
                    .accept("application/json")
                    .get("/api/v1/imports/" + job)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> pods = status.getList("notices.notAccepted");
            assertThat(pods).extracting(pod -> pod.get("pod")).containsExactly("friends.example", "other.example:8443");
            assertThat(pods.get(0).get("outcome")).isEqualTo(signature);
            assertThat(pods.get(1).get("outcome")).isNull();
        }
    }

    /** Neither the API nor the page, nor the job's row, carries a word of the old pod's text. */
    private void assertNothingOfTheEmptyOldPodShown(String username, String job, String ownWords) throws Throwable {
        String session = PodClient.logIn(username);
        String api = PodClient.as(session)
                .accept("application/json")
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String page = PodClient.as(session)
                .accept("text/html")
                .get("/import/" + job)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String stored = imports()
                .row(
                        "SELECT coalesce(error, '') || coalesce(notices::text, '') FROM import_jobs" + " WHERE id = $1",
                        job)
                .getString(0);
        for (String shown : List.of(api, page, stored)) {
            assertThat(shown).doesNotContain("evil.example", "enter your password", "alert(", "account is locked");
        }
        assertThat(api).contains(ownWords);
        assertThat(page).contains(ownWords.replace("'", "&#39;"));
    }

    private InTestImports imports() {
        return new InTestImports(pool, secrets);
    }

    private boolean noticesRead(String job) throws Exception {
        try {
            return imports()
                            .row("SELECT notices FROM import_jobs WHERE id = $1", job)
                            .getValue(0)
                    != null;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
