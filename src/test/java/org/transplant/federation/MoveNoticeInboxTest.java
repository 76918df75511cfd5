package org.transplant.federation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.transplant.config.TransplantConfig;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.KeyPairs.PemKeyPair;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;
import org.transplant.testing.StoppedClock;

/**
 * The inbox of a third pod C (the pod under test). Its users know xavier: carol follows him, he follows dave (who
 * also follows his new identity already), erin blocks him, and he commented on and liked carol's post. Both his
 * old identity and his new one, {@code yan}, are accounts of this pod too, so that C's WebFinger look-ups of both
 * (the old key, the new key and yan's alsoKnownAs) are real HTTP. Forged, mismatched, expired and unknown notices
 * are refused and change nothing, and so is one signed with a key planted in a contact row; the true notice
 * re-points every relation; its replay changes nothing; a second move elsewhere is refused. Last, olga, whose pod is
 * gone, moves too: this pod checks her notice with the key it held for her.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MoveNoticeInboxTest {

    private static final String XAVIER = PodClient.handle("mn_xavier");
    private static final String YAN = PodClient.handle("mn_yan");

    @Inject
    Pool pool;

    @Inject
    SecretBox box;

    @Inject
    TransplantConfig config;

    private PemKeyPair xavierKeys;
    private PemKeyPair strangerKeys;
    private PemKeyPair plantedKeys;
    private String yanKey;
    private String post;

    private void knowXavier() {
        SecureRandom random = new SecureRandom();
        strangerKeys = KeyPairs.generate(2048, random);
        plantedKeys = KeyPairs.generate(2048, random);
        String carol = PodClient.signedIn("mn_carol");
        String dave = PodClient.signedIn("mn_dave");
        String erin = PodClient.signedIn("mn_erin");
        PodClient.createAccount("mn_xavier");
        PodClient.createAccount("mn_yan");
        PodClient.createAccount("mn_zed");
        xavierKeys = new PemKeyPair(
                sql("SELECT public_key_pem FROM accounts WHERE username = 'mn_xavier'")
                        .get(0),
                box.open(sql("SELECT private_key_pem FROM accounts WHERE username = 'mn_xavier'")
                        .get(0)));
        yanKey = sql("SELECT public_key_pem FROM accounts WHERE username = 'mn_yan'")
                .get(0);
        // yan was moved here from xavier: his WebFinger names xavier as alsoKnownAs, as a finished import does.
        sql("INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key) VALUES"
                + " ('http://mn.example', 'c', 's', 'mn-key')");
        sql("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode, state)"
                + " SELECT 'mn-job', a.id, '" + XAVIER + "', '" + YAN + "', r.id, 'COPY', 'DONE' FROM accounts a,"
                + " remote_pods r WHERE a.username = 'mn_yan' AND r.callback_key = 'mn-key'");
        // Through the pod's own API where it has one: carol follows xavier, erin blocks him, dave follows yan.
        PodClient.as(carol)
                .contentType(ContentType.JSON)
                .body(Map.of("handle", XAVIER))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        PodClient.as(erin).post("/api/v1/contacts/" + XAVIER + "/block").then().statusCode(200);
        PodClient.as(dave)
                .contentType(ContentType.JSON)
                .body(Map.of("handle", YAN))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        post = PodClient.as(carol)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "hello", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        // What federation (or an import) would have brought: a key for xavier, his sharing with dave, his comment
        // and like. The key is a planted one: the inbox must take xavier's key from his own pod, not from here.
        String key = plantedKeys.publicKeyPem().replace("'", "''");
        sql("UPDATE contacts SET public_key_pem = '" + key + "' WHERE handle = '" + XAVIER + "'");
        sql("INSERT INTO contacts (account_id, handle, public_key_pem, follower, seq) SELECT id, '" + XAVIER + "', '"
                + key + "', true, 1 FROM accounts WHERE username = 'mn_dave'");
        sql("INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at) SELECT 'mn-comment', id, '"
                + XAVIER + "', 'nice', 1, now() FROM posts WHERE guid = '" + post + "'");
        sql("INSERT INTO likes (guid, post_id, author_handle, seq, created_at) SELECT 'mn-like', id, '" + XAVIER
                + "', 1, now() FROM posts WHERE guid = '" + post + "'");
    }

    @Test
    void onlyTheTrueNoticeMovesAnyoneAndOnlyOnce() throws Exception {
        knowXavier();
        OpenApiValidationFilter contract = contract();
        List<String> before = relations();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MoveNotice toYan = notice(XAVIER, YAN, yanKey, now);

        // Signed with a key that is not xavier's, or with the key planted in his contact rows.
        deliver(contract, sign(toYan, strangerKeys)).then().statusCode(403).body("type", endsWith("/bad-signature"));
        deliver(contract, sign(toYan, plantedKeys)).then().statusCode(403).body("type", endsWith("/bad-signature"));
        // About someone nobody here knows.
        deliver(contract, sign(notice("nobody@old.example", YAN, yanKey, now), xavierKeys))
                .then()
                .statusCode(422)
                .body("type", endsWith("/unknown-identity"));
        // The new identity's pod serves another key than the notice announces.
        deliver(contract, sign(notice(XAVIER, YAN, strangerKeys.publicKeyPem(), now), xavierKeys))
                .then()
                .statusCode(422)
                .body("type", endsWith("/new-identity-mismatch"));
        // A new identity that does not exist, and one that never asked to be xavier's successor.
        deliver(contract, sign(notice(XAVIER, PodClient.handle("mn_nobody"), yanKey, now), xavierKeys))
                .then()
                .statusCode(422)
                .body("type", endsWith("/new-identity-mismatch"));
        String zedKey = sql("SELECT public_key_pem FROM accounts WHERE username = 'mn_zed'")
                .get(0);
        deliver(contract, sign(notice(XAVIER, PodClient.handle("mn_zed"), zedKey, now), xavierKeys))
                .then()
                .statusCode(422)
                .body("type", endsWith("/new-identity-mismatch"))
                .body("detail", Matchers.containsString("does not name"));
        // A jti that is no UUID.
        deliver(
                        contract,
                        MoveNoticeJws.sign(
                                new MoveNotice(
                                        "not-a-uuid",
                                        Handle.parse("h", XAVIER),
                                        Handle.parse("h", YAN),
                                        yanKey,
                                        now,
                                        now.plus(Duration.ofDays(1))),
                                xavierKeys.privateKeyPem(),
                                "http://localhost/u/x",
                                "http://localhost/u/y"))
                .then()
                .statusCode(400)
                .body("type", endsWith("/bad-notice"));
        // Expired: signed long ago for a short while.
        MoveNotice old = new MoveNotice(
                UUID.randomUUID().toString(),
                Handle.parse("h", XAVIER),
                Handle.parse("h", YAN),
                yanKey,
                now.minus(Duration.ofDays(40)),
                now.minus(Duration.ofDays(10)));
        deliver(contract, sign(old, xavierKeys)).then().statusCode(403).body("type", endsWith("/notice-expired"));
        // Not a notice at all, and not the notice's media type.
        deliver(contract, "not.a.jws").then().statusCode(400).body("type", endsWith("/bad-notice"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/federation/v1/inbox")
                .then()
                .statusCode(415);
        assertThat(relations()).isEqualTo(before);
        // Other tests share the database: only this test's people count.
        assertThat(sql("SELECT count(*) FROM moved_people WHERE old_handle = '" + XAVIER + "'"))
                .containsExactly("0");

        String trueNotice = sign(toYan, xavierKeys);
        deliver(contract, trueNotice)
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("accounts", equalTo(3));
        // The new identity's key replaced the planted one. carol follows yan, dave's two contacts are one (he follows
        // yan and yan shares with him), erin blocks yan.
        assertThat(sql("SELECT a.username, c.following, c.follower, c.blocked, c.public_key_pem = '"
                        + yanKey.replace("'", "''") + "' FROM contacts c JOIN accounts a ON a.id = c.account_id"
                        + " WHERE c.handle = '" + YAN + "' ORDER BY a.username"))
                .containsExactly(
                        "mn_carol|true|false|false|true",
                        "mn_dave|true|true|false|true",
                        "mn_erin|false|false|true|true");
        assertThat(sql("SELECT count(*) FROM contacts WHERE handle = '" + XAVIER + "'"))
                .containsExactly("0");
        assertThat(sql("SELECT author_handle FROM comments WHERE guid = 'mn-comment' UNION ALL"
                        + " SELECT author_handle FROM likes WHERE guid = 'mn-like'"))
                .containsExactly(YAN, YAN);
        assertThat(sql("SELECT new_handle FROM moved_people WHERE old_handle = '" + XAVIER + "'"))
                .containsExactly(YAN);
        // Each account's own export sees the change: the old handle's tombstone.
        assertThat(sql("SELECT count(*) FROM tombstones WHERE kind = 'contact' AND guid = '" + XAVIER + "'"))
                .containsExactly("3");
        // What erin's pod shows her: the block, now of yan.
        PodClient.as(PodClient.logIn("mn_erin"))
                .get("/api/v1/contacts/" + YAN)
                .then()
                .statusCode(200)
                .body("blocked", equalTo(true));

        List<String> after = relations();
        deliver(contract, trueNotice).then().statusCode(200).body("status", equalTo("already-applied"));
        // The same move announced again under another id is no news either.
        deliver(contract, sign(notice(XAVIER, YAN, yanKey, now), xavierKeys))
                .then()
                .statusCode(200)
                .body("status", equalTo("already-applied"));
        deliver(contract, sign(notice(XAVIER, PodClient.handle("mn_zed"), zedKey, now), xavierKeys))
                .then()
                .statusCode(409)
                .body("type", endsWith("/already-moved"));
        assertThat(relations()).isEqualTo(after);

        // olga's old pod is gone (old.example never answers), but this pod held her key, learned from it earlier.
        String olga = "olga@old.example";
        PemKeyPair olgaKeys = KeyPairs.generate(2048, new SecureRandom());
        PodClient.createAccount("mn_ulla");
        String ullaKey = sql("SELECT public_key_pem FROM accounts WHERE username = 'mn_ulla'")
                .get(0);
        sql("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode, state)"
                + " SELECT 'mn-job-2', a.id, '" + olga + "', '" + PodClient.handle("mn_ulla") + "', r.id, 'COPY',"
                + " 'DONE' FROM accounts a, remote_pods r WHERE a.username = 'mn_ulla' AND r.callback_key = 'mn-key'");
        PodClient.as(PodClient.logIn("mn_carol"))
                .contentType(ContentType.JSON)
                .body(Map.of("handle", olga))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        MoveNotice toUlla = notice(olga, PodClient.handle("mn_ulla"), ullaKey, now);
        // Holding no key, and her pod unreachable: nothing to check the notice with yet (the sender retries).
        deliver(contract, sign(toUlla, olgaKeys))
                .then()
                .statusCode(502)
                .body("type", endsWith("/old-identity-unreachable"));
        sql("INSERT INTO person_keys (handle, public_key_pem) VALUES ('" + olga + "', '"
                + olgaKeys.publicKeyPem().replace("'", "''") + "')");
        deliver(contract, sign(toUlla, strangerKeys)).then().statusCode(403).body("type", endsWith("/bad-signature"));
        deliver(contract, sign(toUlla, olgaKeys)).then().statusCode(200).body("status", equalTo("accepted"));
        assertThat(sql("SELECT c.following FROM contacts c JOIN accounts a ON a.id = c.account_id"
                        + " WHERE a.username = 'mn_carol' AND c.handle = '" + PodClient.handle("mn_ulla") + "'"))
                .containsExactly("true");

        // One sender gets its share (a burst of 40 in tests), then 429 with Retry-After, before anything is read.
        // With the refill clock stopped, what is left of the burst goes through and the request after it is refused.
        StoppedClock.install();
        int sent = 0;
        Response answer = null;
        while (sent <= config.federation().inboxBurst() && (answer == null || answer.statusCode() != 429)) {
            answer = deliver(contract, "not.a.jws");
            sent++;
        }
        assertThat(answer.statusCode()).as("after %d notices", sent).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isNotNull();
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    private static MoveNotice notice(String from, String to, String newKey, Instant at) {
        return new MoveNotice(
                UUID.randomUUID().toString(),
                Handle.parse("from", from),
                Handle.parse("to", to),
                newKey,
                at,
                at.plus(Duration.ofDays(30)));
    }

    private static String sign(MoveNotice notice, PemKeyPair keys) {
        return MoveNoticeJws.sign(notice, keys.privateKeyPem(), "https://old.example/u/x", "http://localhost/u/y");
    }

    private static Response deliver(OpenApiValidationFilter contract, String jws) {
        return given().filter(contract)
                .contentType(InboxResource.JOSE)
                .body(jws.getBytes(StandardCharsets.UTF_8))
                .post(InboxResource.PATH);
    }

    /** Every relation this test's people have: contacts, comments and likes, and the moves recorded. */
    private List<String> relations() {
        List<String> lines = new ArrayList<>();
        lines.addAll(sql("SELECT a.username, c.handle, c.following, c.follower, c.blocked, c.seq FROM contacts c"
                + " JOIN accounts a ON a.id = c.account_id WHERE a.username LIKE 'mn\\_%' ORDER BY 1, 2"));
        lines.addAll(sql("SELECT guid, author_handle FROM comments WHERE guid LIKE 'mn-%' UNION ALL"
                + " SELECT guid, author_handle FROM likes WHERE guid LIKE 'mn-%' ORDER BY 1"));
        lines.addAll(sql("SELECT old_handle, new_handle, notice_id FROM moved_people WHERE old_handle = '" + XAVIER
                + "' ORDER BY 1"));
        return lines;
    }

    private List<String> sql(String query) {
        try {
            return rows(query);
        } catch (Throwable e) {
            throw new IllegalStateException(query, e);
        }
    }

    private List<String> rows(String query) {
        return SqlLines.of(pool, query);
    }

    private static OpenApiValidationFilter contract() throws Exception {
        return new OpenApiValidationFilter(OpenApiInteractionValidator.createForInlineApiSpecification(
                        Files.readString(Path.of("openapi/federation-v1.yaml")))
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .build())
                .build());
    }
}
