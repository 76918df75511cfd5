package org.transplant.migration.move;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transplant.migration.api.MoveRequest;
import org.transplant.migration.api.Revocation;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * The old pod's side of an archive's move: only a revocation signed with the account's own key, fresh, sending
 * visitors only to the new identity's host, closes the account, and not over changes newer than the archive unless
 * the person chose to lose them. Every refusal leaves the account as it was.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RevocationTest {

    static final String NEW_HOST = "new.example";

    @Inject
    Pool pool;

    @Inject
    PrivateKeyVault vault;

    /** The SHA-256 of the encrypted part of the one archive each account of these tests asked for. */
    static final String ARCHIVE = "ab".repeat(32);

    @Test
    void aRevocationSignedByTheAccountsKeyClosesItAndItsPostsLeadToTheNewPod() {
        PodClient.signedIn("rev_ok");
        issued("rev_ok");
        String post = post("rev_ok");
        PrivateKey key = keyOf("rev_ok");

        send(revocation("rev_ok", lastSeq("rev_ok"), false, Duration.ofHours(1)).sign(key))
                .then()
                .statusCode(200)
                .body("oldHandle", is(PodClient.handle("rev_ok")))
                .body("newHandle", is("rev_ok@" + NEW_HOST));
        assertThat(state("rev_ok")).containsExactly("MOVED|rev_ok@" + NEW_HOST);
        given().redirects()
                .follow(false)
                .get("/posts/" + post)
                .then()
                .statusCode(301)
                .header("Location", "https://" + NEW_HOST + "/posts/" + post);
        // Sent again (a second click, a retried finish): done already, to the same place.
        send(revocation("rev_ok", lastSeq("rev_ok"), true, Duration.ofHours(1)).sign(key))
                .then()
                .statusCode(200)
                .body("newHandle", is("rev_ok@" + NEW_HOST));
        // Elsewhere: the account moved already.
        Revocation elsewhere = Revocation.of(
                Handle.parse("h", PodClient.handle("rev_ok")),
                new MoveRequest(
                        "rev_ok@other.example",
                        KeyPairs.generate(2048, new java.security.SecureRandom())
                                .publicKeyPem(),
                        null,
                        lastSeq("rev_ok"),
                        "https://other.example/u/rev_ok",
                        "https://other.example/posts/{guid}",
                        null),
                ARCHIVE,
                true,
                Duration.ofHours(1));
        send(elsewhere.sign(key)).then().statusCode(409).body("type", endsWith("/already-moved"));
        assertThat(state("rev_ok")).containsExactly("MOVED|rev_ok@" + NEW_HOST);
    }

    @Test
    void onlyAnArchiveThisPodWroteForTheAccountAndItsOwnerKeptClosesIt() {
        PodClient.signedIn("rev_arc");
        PrivateKey key = keyOf("rev_arc");
        long seq = lastSeq("rev_arc");
        // The account's own key, but no archive of it was ever written (a key taken some other way).
        send(revocation("rev_arc", seq, true, Duration.ofHours(1)).sign(key))
                .then()
                .statusCode(403)
                .body("type", endsWith("/archive-not-issued"));
        issued("rev_arc");
        // The person removed the archive (they fear it leaked): nothing from it closes the account any more.
        rows("DELETE FROM archives WHERE id = 'rev_arc-archive' RETURNING id");
        send(revocation("rev_arc", seq, true, Duration.ofHours(1)).sign(key))
                .then()
                .statusCode(403)
                .body("type", endsWith("/archive-not-issued"));
        assertThat(state("rev_arc")).containsExactly("ACTIVE");
    }

    @Test
    void changesNewerThanTheArchiveCloseNothingUnlessThePersonChoseToLoseThem() {
        PodClient.signedIn("rev_newer");
        issued("rev_newer");
        long archived = lastSeq("rev_newer");
        post("rev_newer");
        PrivateKey key = keyOf("rev_newer");

        send(revocation("rev_newer", archived, false, Duration.ofHours(1)).sign(key))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/newer-changes"));
        assertThat(state("rev_newer")).containsExactly("ACTIVE");

        send(revocation("rev_newer", archived, true, Duration.ofHours(1)).sign(key))
                .then()
                .statusCode(200);
        assertThat(state("rev_newer")).containsExactly("MOVED|rev_newer@" + NEW_HOST);
    }

    @Test
    void aRevocationNotSignedByTheAccountsOwnKeyOrStaleOrMisdirectedClosesNothing() throws Exception {
        PodClient.signedIn("rev_no");
        issued("rev_no");
        long seq = lastSeq("rev_no");
        PrivateKey key = keyOf("rev_no");
        PrivateKey other = KeyPairs.parsePrivateKey(
                KeyPairs.generate(2048, new java.security.SecureRandom()).privateKeyPem());

        send(revocation("rev_no", seq, false, Duration.ofHours(1)).sign(other))
                .then()
                .statusCode(403)
                .body("type", endsWith("/bad-signature"));
        Revocation expired = new Revocation(
                java.util.UUID.randomUUID().toString(),
                Handle.parse("h", PodClient.handle("rev_no")),
                move("rev_no", seq, "https://" + NEW_HOST + "/posts/{guid}"),
                ARCHIVE,
                true,
                java.time.Instant.now().minusSeconds(7200),
                java.time.Instant.now().minusSeconds(3600));
        send(expired.sign(key)).then().statusCode(403).body("type", endsWith("/revocation-expired"));
        send(revocation("rev_no", seq, true, Duration.ofDays(30)).sign(key))
                .then()
                .statusCode(400)
                .body("type", endsWith("/bad-revocation"));
        Revocation elsewhere = Revocation.of(
                Handle.parse("h", PodClient.handle("rev_no")),
                move("rev_no", seq, "https://evil.example/posts/{guid}"),
                ARCHIVE,
                true,
                Duration.ofHours(1));
        send(elsewhere.sign(key)).then().statusCode(403).body("type", endsWith("/move-destination-mismatch"));
        send("not a jws").then().statusCode(400).body("type", endsWith("/bad-revocation"));
        // Times no clock holds, and a sequence past every change: refused as malformed, not a 500.
        String old = "acct:" + PodClient.handle("rev_no");
        for (var claims : java.util.List.of(
                Jwt.claims()
                        .issuedAt(Long.MAX_VALUE / 2)
                        .expiresAt(Long.MAX_VALUE / 2 + 60)
                        .claim("seenSeq", seq),
                Jwt.claims()
                        .issuedAt(java.time.Instant.now().getEpochSecond())
                        .expiresAt(java.time.Instant.now().getEpochSecond() + 60)
                        .claim("seenSeq", 1e300))) {
            String jws = claims.claim("jti", java.util.UUID.randomUUID().toString())
                    .issuer(old)
                    .subject(old)
                    .claim("movedTo", "acct:rev_no@" + NEW_HOST)
                    .claim("newPublicKey", move("rev_no", seq, "x").newPublicKey())
                    .claim("profileUrl", "https://" + NEW_HOST + "/u/rev_no")
                    .claim("postUrl", "https://" + NEW_HOST + "/posts/{guid}")
                    .claim("archive", ARCHIVE)
                    .claim("closeDespiteNewer", true)
                    .jws()
                    .header("typ", Revocation.TYPE)
                    .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                    .sign(key);
            send(jws).then().statusCode(400).contentType("application/problem+json");
        }
        Revocation nobody = Revocation.of(
                Handle.parse("h", PodClient.handle("rev_nobody")),
                move("rev_nobody", 0, "https://" + NEW_HOST + "/posts/{guid}"),
                ARCHIVE,
                true,
                Duration.ofHours(1));
        send(nobody.sign(key)).then().statusCode(404);
        assertThat(state("rev_no")).containsExactly("ACTIVE");
    }

    private Revocation revocation(String username, long seenSeq, boolean despiteNewer, Duration lives) {
        return Revocation.of(
                Handle.parse("h", PodClient.handle(username)),
                move(username, seenSeq, "https://" + NEW_HOST + "/posts/{guid}"),
                ARCHIVE,
                despiteNewer,
                lives);
    }

    private static MoveRequest move(String username, long seenSeq, String postUrl) {
        return new MoveRequest(
                username + "@" + NEW_HOST,
                KeyPairs.generate(2048, new java.security.SecureRandom()).publicKeyPem(),
                null,
                seenSeq,
                "https://" + NEW_HOST + "/u/" + username,
                postUrl,
                null);
    }

    /** Every answer is held to the contract (migration-v1.yaml). */
    private static Response send(String jws) {
        return given().filter(MoveApiTest.ANSWERS)
                .contentType(Revocation.MEDIA_TYPE)
                .body(jws.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post(Revocation.PATH);
    }

    private String post(String username) {
        return PodClient.as(PodClient.logIn(username))
                .body(java.util.Map.of("text", "a post of " + username, "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
    }

    /** The account asked for an archive, and this pod wrote it (its record, as the archive writer leaves it). */
    private void issued(String username) {
        rows("INSERT INTO archives (id, account_id, state, step, photos, data_sha256) SELECT '" + username
                + "-archive', id, 'READY', 'ready', 'included', '" + ARCHIVE + "' FROM accounts WHERE username = '"
                + username + "' RETURNING id");
    }

    private PrivateKey keyOf(String username) {
        return vault.open(rows("SELECT private_key_pem FROM accounts WHERE username = '" + username + "'")
                .get(0));
    }

    private long lastSeq(String username) {
        return Long.parseLong(rows("SELECT last_seq FROM accounts WHERE username = '" + username + "'")
                .get(0));
    }

    private List<String> state(String username) {
        return rows("SELECT state || coalesce('|' || moved_to, '') FROM accounts WHERE username = '" + username + "'");
    }

    private List<String> rows(String sql) {
        return SqlLines.of(pool, sql);
    }
}
