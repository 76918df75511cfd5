package org.transplant.migration.move;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.handle;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.contact.MovedIdentity;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SteppedWallClock;
import org.transplant.testing.Until;

/**
 * Writes while an account moves (issue 13): each write checks the account's state under its row lock in its own
 * transaction, so nothing is accepted and then lost; a busy account's move holds its writes for a bounded window
 * and ends; writes to several accounts never deadlock into a 500.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class WritesDuringMoveTest {

    private static final String NEW_HOST = "127.0.0.1:9";
    private static final String NEW_KEY =
            KeyPairs.generate(2048, new SecureRandom()).publicKeyPem();

    @Inject
    OidcFixture fixture;

    @Inject
    AccountStates states;

    @Inject
    Pool pool;

    @Inject
    MovedIdentity identities;

    @Test
    void aCommentWaitingForTheAccountRowWhileItMovesIsRefusedAndWritesNothing() throws Exception {
        String ann = signedIn("wm_ann1");
        String ben = signedIn("wm_ben1");
        String post = post(ann, "old post");
        long annId = accountId("wm_ann1");
        Response commentAnswer;
        long comments =
                count("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.guid = $1", post);

        // The move's transaction holds the account row; the comment gets past every check made before its own
        // transaction (the account is still active to anyone outside the move) and waits for the row.
        SqlConnection move = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = move.begin().await().indefinitely();
            move.preparedQuery("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE")
                    .execute(Tuple.of(annId))
                    .await()
                    .indefinitely();
            CompletableFuture<Response> comment = CompletableFuture.supplyAsync(
                    () -> as(ben).body(Map.of("text", "70 ms too late")).post("/api/v1/posts/" + post + "/comments"));
            Until.seen(
                    "the comment waiting for the account row",
                    () -> count(
                            "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')"
                                    + " AND $1::text IS NOT NULL",
                            "-"),
                    n -> n > 0);
            states.markMoved(
                            move,
                            annId,
                            "ann@" + NEW_HOST,
                            "http://" + NEW_HOST + "/u/ann",
                            "http://" + NEW_HOST + "/posts/{guid}",
                            null)
                    .await()
                    .indefinitely();
            tx.commit().await().indefinitely();
            commentAnswer = comment.join();
        } finally {
            move.close().await().indefinitely();
        }

        commentAnswer
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/account-moved"));
        assertThat(count("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.guid = $1", post))
                .isEqualTo(comments);
    }

    @Test
    void aFriendsMessageIntoAMovedAccountsConversationIsRefusedAndWritesNothing() throws Exception {
        String ann = signedIn("wm_ann2");
        String ben = signedIn("wm_ben2");
        follow(ann, handle("wm_ben2"));
        follow(ben, handle("wm_ann2"));
        String conversation = conversation(ann, handle("wm_ben2"));
        as(ben).body(Map.of("text", "before"))
                .post("/api/v1/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201);
        markMoved(accountId("wm_ann2"));
        long messages = messages(conversation);

        as(ben).body(Map.of("text", "after the move"))
                .post("/api/v1/conversations/" + conversation + "/messages")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/account-moved"));
        assertThat(messages(conversation)).isEqualTo(messages);
    }

    @Test
    void profileSettingsAndAspectEditsAreChangesTheMoveWaitsFor() throws Throwable {
        String ann = signedIn("wm_ann3");
        Mover mover = mover("wm_ann3");
        long before = mover.snapshot();
        as(ann).body(Map.of("firstName", "Ann")).put("/api/v1/profile").then().statusCode(200);
        long afterProfile = mover.snapshot();
        as(ann).body(Map.of("language", "de")).put("/api/v1/settings").then().statusCode(200);
        long afterSettings = mover.snapshot();
        as(ann).body(Map.of("name", "Climbing")).post("/api/v1/aspects").then().statusCode(201);
        long afterAspect = mover.snapshot();

        assertThat(List.of(before, afterProfile, afterSettings, afterAspect))
                .isSorted()
                .doesNotHaveDuplicates();
        mover.move(before).then().statusCode(409).body("type", endsWith("/changes-pending"));
    }

    @Test
    void aHoldRefusesWritesWith503AndLapsesAfterTheWindow() throws Throwable {
        SteppedWallClock clock = SteppedWallClock.install();
        String ann = signedIn("wm_ann4");
        String ben = signedIn("wm_ben4");
        String post = post(ann, "before the move");
        Mover mover = mover("wm_ann4");
        long seen = mover.snapshot();
        post(ann, "a change to copy");

        mover.move(seen).then().statusCode(409).body("type", endsWith("/changes-pending"));
        assertThat(state("wm_ann4")).isEqualTo("HOLD");
        long posts = count(
                "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = $1", "wm_ann4");
        as(ann).body(Map.of("text", "during the hold"))
                .post("/api/v1/posts")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "60")
                .body("type", endsWith("/account-moving"))
                .body("detail", org.hamcrest.Matchers.containsString("try again in a minute"));
        as(ben).body(Map.of("text", "a friend's comment"))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(503)
                .body("type", endsWith("/account-moving"));
        assertThat(count(
                        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = $1",
                        "wm_ann4"))
                .isEqualTo(posts);

        clock.advance(Duration.ofSeconds(59));
        as(ann).body(Map.of("text", "still held"))
                .post("/api/v1/posts")
                .then()
                .statusCode(503)
                .header("Retry-After", "1");
        clock.advance(Duration.ofSeconds(1));
        post(ann, "the hold lapsed");
        assertThat(state("wm_ann4")).isEqualTo("ACTIVE");

        // Holds cannot be chained for ever: the same authorization starts at most MAX_HOLDS of them.
        for (int hold = 2; hold <= MoveHolds.MAX_HOLDS; hold++) {
            mover.move(seen).then().statusCode(409).body("type", endsWith("/changes-pending"));
            assertThat(state("wm_ann4")).isEqualTo("HOLD");
            clock.advance(Duration.ofSeconds(60));
        }
        mover.move(seen)
                .then()
                .statusCode(409)
                .body("type", endsWith("/changes-pending"))
                .body("detail", org.hamcrest.Matchers.containsString("used its " + MoveHolds.MAX_HOLDS + " holds"));
        post(ann, "writes go on");
        assertThat(state("wm_ann4")).isEqualTo("ACTIVE");
    }

    @Test
    void holdsAreCountedOnTheAccountWhicheverAuthorizationAsks() throws Throwable {
        SteppedWallClock clock = SteppedWallClock.install();
        String ann = signedIn("wm_ann9");
        post(ann, "before the moves");
        Mover first = mover("wm_ann9");
        Mover second = mover("wm_ann9");
        long seen = first.snapshot();
        post(ann, "a change to copy");

        // Two authorizations taking turns: together they hold the account's writes at most MAX_HOLDS times.
        for (int hold = 1; hold <= MoveHolds.MAX_HOLDS; hold++) {
            (hold % 2 == 1 ? first : second)
                    .move(seen)
                    .then()
                    .statusCode(409)
                    .body("type", endsWith("/changes-pending"));
            assertThat(state("wm_ann9")).isEqualTo("HOLD");
            clock.advance(Duration.ofSeconds(60));
        }
        for (Mover mover : List.of(first, second)) {
            mover.move(seen)
                    .then()
                    .statusCode(409)
                    .body("detail", org.hamcrest.Matchers.containsString("used its " + MoveHolds.MAX_HOLDS + " holds"));
            post(ann, "writes go on");
            assertThat(state("wm_ann9")).isEqualTo("ACTIVE");
        }

        // A day later the account may be held again.
        clock.advance(MoveHolds.HOLD_PERIOD);
        second.move(seen).then().statusCode(409).body("type", endsWith("/changes-pending"));
        assertThat(state("wm_ann9")).isEqualTo("HOLD");
    }

    @Test
    void anAccountWhoseHoldLapsedStartsMovingLikeAnActiveOne() {
        signedIn("wm_ann10");
        long id = accountId("wm_ann10");
        pool.preparedQuery("UPDATE accounts SET state = 'HOLD', hold_until = now() - interval '1 minute' WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();

        pool.withTransaction(c -> states.startMoving(c, id)).await().indefinitely();

        assertThat(state("wm_ann10")).isEqualTo("MOVING");
    }

    @Test
    void aMoveUnderASteadyTrickleOfWritesEnds() throws Throwable {
        String ann = signedIn("wm_ann5");
        String ben = signedIn("wm_ben5");
        String post = post(ann, "busy post");
        Mover mover = mover("wm_ann5");
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Integer> trickle = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> friends = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                trickle.add(as(ben).body(Map.of("text", "and another thing"))
                        .post("/api/v1/posts/" + post + "/comments")
                        .statusCode());
            }
        });
        try {
            // The new pod's loop: copy up to the snapshot, then move; a write lands in between every time.
            Response answer = null;
            for (int round = 0; round < 5; round++) {
                long snapshot = mover.snapshot();
                int between = as(ann).body(Map.of("text", "round " + round))
                        .post("/api/v1/posts")
                        .statusCode();
                trickle.add(between);
                answer = mover.move(snapshot);
                if (answer.statusCode() != 409) {
                    break;
                }
                answer.then().body("type", endsWith("/changes-pending"));
            }
            answer.then().statusCode(200);
        } finally {
            stop.set(true);
            friends.join();
        }
        assertThat(state("wm_ann5")).isEqualTo("MOVED");
        assertThat(trickle).contains(503).doesNotContain(500);
        assertThat(trickle).allMatch(status -> status == 201 || status == 503 || status == 409 || status == 410);
    }

    @Test
    void messagesAndMovesOfTheSameAccountsAtOnceNeverAnswer500() throws Throwable {
        for (int round = 0; round < 12; round++) {
            String ann = signedIn("wm_dl_ann" + round);
            String ben = signedIn("wm_dl_ben" + round);
            follow(ann, handle("wm_dl_ben" + round));
            follow(ben, handle("wm_dl_ann" + round));
            String conversation = conversation(ann, handle("wm_dl_ben" + round));
            Mover mover = mover("wm_dl_ann" + round);
            long snapshot = mover.snapshot();
            CompletableFuture<List<Integer>> chatter = CompletableFuture.supplyAsync(() -> {
                List<Integer> statuses = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    statuses.add(as(i % 2 == 0 ? ben : ann)
                            .body(Map.of("text", "hi " + i))
                            .post("/api/v1/conversations/" + conversation + "/messages")
                            .statusCode());
                }
                return statuses;
            });
            int moved = mover.move(snapshot).statusCode();
            int again = mover.move(mover.snapshotOrSeen(snapshot)).statusCode();
            List<Integer> statuses = chatter.join();
            assertThat(List.of(moved, again)).doesNotContain(500);
            assertThat(statuses).doesNotContain(500).allMatch(s -> s == 201 || s == 409 || s == 503);
        }
    }

    @Test
    void messagesAndAMoveNoticeRepointingTheSameAccountsNeverDeadlock() throws Throwable {
        String ann = signedIn("wm_rp_ann");
        String ben = signedIn("wm_rp_ben");
        follow(ann, handle("wm_rp_ben"));
        follow(ben, handle("wm_rp_ann"));
        follow(ann, "far@far.example");
        follow(ben, "far@far.example");
        String conversation = conversation(ann, handle("wm_rp_ben"));
        for (int round = 0; round < 20; round++) {
            String from = round % 2 == 0 ? "far@far.example" : "near@far.example";
            String to = round % 2 == 0 ? "near@far.example" : "far@far.example";
            CompletableFuture<List<Integer>> chatter = CompletableFuture.supplyAsync(() -> {
                List<Integer> statuses = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    statuses.add(as(i % 2 == 0 ? ben : ann)
                            .body(Map.of("text", "hi " + i))
                            .post("/api/v1/conversations/" + conversation + "/messages")
                            .statusCode());
                }
                return statuses;
            });
            for (int i = 0; i < 3; i++) {
                String a = i % 2 == 0 ? from : to;
                String b = i % 2 == 0 ? to : from;
                Integer repointed = pool.withTransaction(c -> identities.repoint(c, a, b, NEW_KEY))
                        .await()
                        .indefinitely();
                assertThat(repointed).isEqualTo(2);
            }
            assertThat(chatter.join()).containsOnly(201);
        }
    }

    // ---- helpers

    /** The new pod's side of a move, as a test drives it: its token, the nonce, snapshots and the move call. */
    private final class Mover {
        final String token;
        final String nonce;

        Mover(String token, String nonce) {
            this.token = token;
            this.nonce = nonce;
        }

        long snapshot() {
            return given().auth()
                    .oauth2(token)
                    .get("/migration/v1/account")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getLong("snapshot");
        }

        /** The snapshot, or {@code seen} once the account moved and the token ended. */
        long snapshotOrSeen(long seen) {
            Response r = given().auth().oauth2(token).get("/migration/v1/account");
            return r.statusCode() == 200 ? r.jsonPath().getLong("snapshot") : seen;
        }

        Response move(long seenSeq) {
            Map<String, Object> body = new HashMap<>();
            body.put("newHandle", "ann@" + NEW_HOST);
            body.put("newPublicKey", NEW_KEY);
            body.put("nonce", nonce);
            body.put("seenSeq", seenSeq);
            body.put("profileUrl", "http://" + NEW_HOST + "/u/ann");
            body.put("postUrl", "http://" + NEW_HOST + "/posts/{guid}");
            return given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/migration/v1/move");
        }
    }

    private Mover mover(String username) throws Throwable {
        Registration app = fixture.register("Mover of " + username, "client_secret_basic");
        String token = fixture.accessToken(app, username, "migration:read migration:move", null, null);
        String nonce = given().auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .extract()
                .path("moveNonce");
        return new Mover(token, nonce);
    }

    private static String post(String session, String text) {
        return as(session)
                .body(Map.of("text", text))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
    }

    private static void follow(String session, String handle) {
        as(session)
                .body(Map.of("handle", handle))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
    }

    private static String conversation(String session, String with) {
        return as(session)
                .body(Map.of("subject", "Plans", "text", "Hello", "participants", List.of(with)))
                .post("/api/v1/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
    }

    private void markMoved(long accountId) {
        pool.withTransaction(c -> states.markMoved(
                        c,
                        accountId,
                        "ann@" + NEW_HOST,
                        "http://" + NEW_HOST + "/u/ann",
                        "http://" + NEW_HOST + "/posts/{guid}",
                        null))
                .await()
                .indefinitely();
    }

    private long accountId(String username) {
        return count("SELECT id FROM accounts WHERE username = $1", username);
    }

    private String state(String username) {
        return pool.preparedQuery("SELECT state FROM accounts WHERE username = $1")
                .execute(Tuple.of(username))
                .map(rows -> rows.iterator().next().getString(0))
                .await()
                .indefinitely();
    }

    private long messages(String conversation) {
        return count(
                "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                        + " WHERE c.guid = $1",
                conversation);
    }

    private long count(String sql, String arg) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(arg))
                .map(rows -> rows.iterator().next().getLong(0))
                .await()
                .indefinitely();
    }
}
