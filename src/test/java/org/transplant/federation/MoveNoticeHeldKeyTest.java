package org.transplant.federation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.KeyPairs.PemKeyPair;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * The pod holds a key for pat, learned from pat's pod long ago. Pat's host now serves another key (as whoever took
 * over a dead pod's domain would): that key neither replaces the held one nor moves pat. A notice signed with it is
 * refused and changes nothing; one signed with the held key moves pat.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MoveNoticeHeldKeyTest {

    private static final String PAT = PodClient.handle("hk_pat");
    private static final String QUIN = PodClient.handle("hk_quin");

    @Inject
    SecretBox box;

    @Inject
    Pool pool;

    @Inject
    PersonKeys keys;

    @Test
    void aKeyServedNowNeverReplacesTheHeldOneAndASignatureFailingWithTheHeldKeyIsRefused() throws Throwable {
        PemKeyPair held = KeyPairs.generate(2048, new SecureRandom());
        String carol = PodClient.signedIn("hk_carol");
        // pat's host (this pod's own WebFinger, real HTTP) serves the key of the account hk_pat: not the held one.
        PodClient.createAccount("hk_pat");
        PodClient.createAccount("hk_quin");
        PemKeyPair served = new PemKeyPair(
                sql("SELECT public_key_pem FROM accounts WHERE username = 'hk_pat'")
                        .get(0),
                // Sealed at rest: the test opens it as the pod would.
                box.open(sql("SELECT private_key_pem FROM accounts WHERE username = 'hk_pat'")
                        .get(0)));
        String quinKey = sql("SELECT public_key_pem FROM accounts WHERE username = 'hk_quin'")
                .get(0);
        // quin asked to be pat's successor: a finished import names pat as quin's alsoKnownAs.
        sql("INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key) VALUES"
                + " ('http://hk.example', 'c', 's', 'hk-key')");
        sql("INSERT INTO import_jobs (id, account_id, old_handle, new_handle, remote_pod_id, photo_mode, state)"
                + " SELECT 'hk-job', a.id, '" + PAT + "', '" + QUIN + "', r.id, 'COPY', 'DONE' FROM accounts a,"
                + " remote_pods r WHERE a.username = 'hk_quin' AND r.callback_key = 'hk-key'");
        sql("INSERT INTO person_keys (handle, public_key_pem) VALUES ('" + PAT + "', '"
                + held.publicKeyPem().replace("'", "''") + "')");
        PodClient.as(carol)
                .contentType(ContentType.JSON)
                .body(Map.of("handle", PAT))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);

        // Looking pat up again keeps the key held.
        String fetched = VertxContextSupport.subscribeAndAwait(() -> keys.fetch(Handle.parse("h", PAT)));
        assertThat(fetched).isEqualTo(held.publicKeyPem());
        List<String> before = relations();
        assertThat(before).contains(PAT + "|" + held.publicKeyPem());

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        deliver(sign(notice(quinKey, now), served))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", endsWith("/bad-signature"));
        assertThat(relations()).isEqualTo(before);

        deliver(sign(notice(quinKey, now), held)).then().statusCode(200).body("status", equalTo("accepted"));
        assertThat(sql("SELECT new_handle FROM moved_people WHERE old_handle = '" + PAT + "'"))
                .containsExactly(QUIN);
    }

    @Test
    void aStrangersUncheckedNoticeNeverMakesThePodHoldAKey() {
        // uva is known here (a comment of hers) but no key is held for her: a forged notice about her is checked
        // against what her pod serves now, and that key is not kept on the strength of an unchecked notice.
        String uva = PodClient.handle("hk_uva");
        PodClient.createAccount("hk_uva");
        // Its own successor: test methods run in random order, so nothing made by the other test is here yet.
        PodClient.createAccount("hk_vic");
        String dan = PodClient.signedIn("hk_dan");
        String post = PodClient.as(dan)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "hi", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        sql("INSERT INTO comments (guid, post_id, author_handle, text, seq, created_at) SELECT 'hkuva"
                + UUID.randomUUID().toString().replace("-", "") + "', id, '" + uva
                + "', 'x', 1, now() FROM posts WHERE guid = '"
                + post + "'");
        PemKeyPair forger = KeyPairs.generate(2048, new SecureRandom());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MoveNotice forged = new MoveNotice(
                UUID.randomUUID().toString(),
                Handle.parse("from", uva),
                Handle.parse("to", PodClient.handle("hk_vic")),
                sql("SELECT public_key_pem FROM accounts WHERE username = 'hk_vic'")
                        .get(0),
                now,
                now.plus(Duration.ofDays(30)));
        deliver(MoveNoticeJws.sign(
                        forged,
                        forger.privateKeyPem(),
                        "http://localhost:8081/u/hk_uva",
                        "http://localhost:8081/u/hk_vic"))
                .then()
                .statusCode(403)
                .body("type", endsWith("/bad-signature"));
        assertThat(sql("SELECT count(*) FROM person_keys WHERE handle = '" + uva + "'"))
                .containsExactly("0");
        assertThat(sql("SELECT count(*) FROM moved_people WHERE old_handle = '" + uva + "'"))
                .containsExactly("0");
    }

    private static MoveNotice notice(String newKey, Instant at) {
        return new MoveNotice(
                UUID.randomUUID().toString(),
                Handle.parse("from", PAT),
                Handle.parse("to", QUIN),
                newKey,
                at,
                at.plus(Duration.ofDays(30)));
    }

    private static String sign(MoveNotice notice, PemKeyPair keys) {
        return MoveNoticeJws.sign(
                notice, keys.privateKeyPem(), "http://localhost:8081/u/hk_pat", "http://localhost:8081/u/hk_quin");
    }

    private static Response deliver(String jws) {
        return given().contentType(InboxResource.JOSE)
                .body(jws.getBytes(StandardCharsets.UTF_8))
                .post(InboxResource.PATH);
    }

    /** pat's held key, carol's contacts and the moves recorded. */
    private List<String> relations() {
        List<String> lines = new ArrayList<>();
        lines.addAll(sql("SELECT handle, public_key_pem FROM person_keys WHERE handle = '" + PAT + "'"));
        lines.addAll(sql("SELECT a.username, c.handle, c.following, c.follower, c.blocked, c.seq FROM contacts c"
                + " JOIN accounts a ON a.id = c.account_id WHERE a.username LIKE 'hk\\_%' ORDER BY 1, 2"));
        lines.addAll(sql("SELECT old_handle, new_handle FROM moved_people ORDER BY 1"));
        return lines;
    }

    private List<String> sql(String query) {
        return SqlLines.of(pool, query);
    }
}
