package org.transplant.migration.move;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * {@code POST /migration/v1/move} on the old pod: every refusal changes nothing, and a move that passes locks the
 * account, redirects its old links and ends the app's tokens. Every answer is checked against the contract.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MoveApiTest {

    private static final String NEW_HOST = "127.0.0.1:9";
    private static final String NEW_KEY =
            KeyPairs.generate(2048, new SecureRandom()).publicKeyPem();

    @Inject
    OidcFixture fixture;

    @Inject
    MovedAccountPurge purge;

    @Inject
    Pool pool;

    /** The contract, held to every answer; requests go unchecked, since refusing bad ones is what is tested. */
    static final OpenApiValidationFilter ANSWERS = contract();

    @Test
    void refusalsChangeNothingAndAPassingMoveLocksAndRedirects() throws Throwable {
        PodClient.createAccount("mv_ann");
        PodClient.admin()
                .body(Map.of(
                        "posts",
                        3,
                        "commentsPerPost",
                        1,
                        "likesPerPost",
                        1,
                        "photos",
                        1,
                        "photoBytes",
                        2000,
                        "contacts",
                        2,
                        "conversations",
                        1,
                        "messagesPerConversation",
                        1,
                        "seed",
                        4))
                .post("/admin/v1/accounts/mv_ann/synthetic-content")
                .then()
                .statusCode(200);
        Registration app = fixture.register("Mover", "client_secret_basic");
        Registration reader = fixture.register("Reader", "client_secret_basic");
        String token = fixture.accessToken(app, "mv_ann", "migration:read migration:move", null, null);
        String readOnly = fixture.accessToken(reader, "mv_ann", "migration:read", null, null);
        String nonce = given().filter(ANSWERS)
                .auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .extract()
                .path("moveNonce");
        given().filter(ANSWERS)
                .auth()
                .oauth2(readOnly)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .body("$", Matchers.not(Matchers.hasKey("moveNonce")));
        long seq = given().auth()
                .oauth2(token)
                .get("/migration/v1/account")
                .then()
                .extract()
                .jsonPath()
                .getLong("snapshot");

        move(null, body(nonce, seq)).then().statusCode(401);
        move(readOnly, body(nonce, seq)).then().statusCode(403).body("type", endsWith("/insufficient-scope"));
        move(token, Map.of("newHandle", "not a handle"))
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("newHandle", "newPublicKey", "nonce", "profileUrl", "postUrl"));
        move(token, body("wrong-nonce", seq)).then().statusCode(403).body("type", endsWith("/move-nonce-mismatch"));
        Map<String, Object> elsewhere = body(nonce, seq);
        elsewhere.put("newHandle", "ann@evil.example");
        move(token, elsewhere).then().statusCode(403).body("type", endsWith("/move-destination-mismatch"));
        move(token, body(nonce, seq - 1)).then().statusCode(409).body("type", endsWith("/changes-pending"));
        String post = given().auth()
                .oauth2(token)
                .get("/migration/v1/posts")
                .then()
                .extract()
                .path("items[0].guid");
        // Before the move the post is served here (to its author, whatever its audience).
        given().cookie("transplant_session", PodClient.logIn("mv_ann"))
                .redirects()
                .follow(false)
                .get("/posts/" + post)
                .then()
                .statusCode(200);

        given().filter(ANSWERS)
                .auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(nonce, seq))
                .post("/migration/v1/move")
                .then()
                .statusCode(200)
                .body("newHandle", Matchers.equalTo("ann@" + NEW_HOST))
                .body("oldHandle", containsString("mv_ann@"));

        given().redirects()
                .follow(false)
                .get("/posts/" + post)
                .then()
                .statusCode(301)
                .header("Location", "http://" + NEW_HOST + "/posts/" + post);
        given().redirects()
                .follow(false)
                .get("/u/mv_ann")
                .then()
                .statusCode(301)
                .header("Location", "http://" + NEW_HOST + "/u/ann");
        String session = PodClient.logIn("mv_ann");
        PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "after", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(409)
                .body("type", endsWith("/account-moved"));
        PodClient.createAccount("mv_bob");
        PodClient.as(PodClient.logIn("mv_bob"))
                .contentType(ContentType.JSON)
                .body(Map.of("text", "hi"))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(410)
                .body("type", endsWith("/post-moved"));
        given().queryParam("resource", PodClient.handle("mv_ann"))
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", hasItem("acct:ann@" + NEW_HOST));
        // The app's tokens end with the move; a new authorization cannot move the account again.
        move(token, body(nonce, seq)).then().statusCode(401);
        Registration again = fixture.register("Mover again", "client_secret_basic");
        String second = fixture.accessToken(again, "mv_ann", "migration:read migration:move", null, null);
        String secondNonce = given().auth()
                .oauth2(second)
                .get("/migration/v1/account")
                .then()
                .extract()
                .path("moveNonce");
        assertThat(secondNonce).isNotEqualTo(nonce);
        given().filter(ANSWERS)
                .auth()
                .oauth2(second)
                .contentType(ContentType.JSON)
                .body(body(secondNonce, seq + 5))
                .post("/migration/v1/move")
                .then()
                .statusCode(409)
                .body("type", endsWith("/already-moved"));

        // After the retention period the old copies go; the redirects stay.
        Integer notYet = VertxContextSupport.subscribeAndAwait(() -> purge.purgeMovedBefore(Duration.ofDays(1)));
        Integer purged = VertxContextSupport.subscribeAndAwait(() -> purge.purgeMovedBefore(Duration.ZERO));
        assertThat(notYet).isZero();
        assertThat(purged).isEqualTo(1);
        String left = VertxContextSupport.<String>subscribeAndAwait(() -> pool.preparedQuery("SELECT"
                        + " (SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = a.id) AS c,"
                        + " (SELECT count(*) FROM posts p WHERE p.account_id = a.id AND p.text IS NOT NULL) AS t,"
                        + " (SELECT count(*) FROM posts p WHERE p.account_id = a.id) AS p,"
                        + " (SELECT count(*) FROM contacts c WHERE c.account_id = a.id) AS k, a.purged_at IS NOT NULL AS d"
                        + " FROM accounts a WHERE a.username = 'mv_ann'")
                .execute()
                .map(rows -> rows.iterator().next().toJson().encode()));
        assertThat(left).isEqualTo("{\"c\":0,\"t\":0,\"p\":3,\"k\":0,\"d\":true}");
        given().redirects()
                .follow(false)
                .get("/posts/" + post)
                .then()
                .statusCode(301)
                .header("Location", "http://" + NEW_HOST + "/posts/" + post);

        // What is left to the owner here: deleting it. The home page says where she went and offers it.
        String annSession = PodClient.logIn("mv_ann");
        String home = given().cookie("transplant_session", annSession)
                .accept("text/html")
                .get("/")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(home)
                .contains("Your account moved")
                .contains("ann@" + NEW_HOST)
                .contains("/account/delete");
        deleteAccount(annSession, "not her password").then().statusCode(403);
        deleteAccount(PodClient.logIn("mv_bob"), PodClient.PASSWORD)
                .then()
                .statusCode(409)
                .body("type", endsWith("/account-not-moved"));
        deleteAccount(annSession, PodClient.PASSWORD).then().statusCode(303);
        String csrf = PodClient.csrf();
        given().redirects()
                .follow(false)
                .contentType(ContentType.URLENC)
                .formParam("username", "mv_ann")
                .formParam("password", PodClient.PASSWORD)
                .cookie("transplant_csrf", csrf)
                .formParam("csrf", csrf)
                .post("/login")
                .then()
                .statusCode(401);
        PodClient.as(annSession).get("/api/v1/profile").then().statusCode(401);
        // Old links still lead to the new pod, and WebFinger still names the new identity.
        given().redirects()
                .follow(false)
                .get("/posts/" + post)
                .then()
                .statusCode(301)
                .header("Location", "http://" + NEW_HOST + "/posts/" + post);
        given().queryParam("resource", PodClient.handle("mv_ann"))
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", hasItem("acct:ann@" + NEW_HOST));
    }

    private static Response deleteAccount(String session, String password) {
        String csrf = PodClient.csrf();
        return given().redirects()
                .follow(false)
                .cookie("transplant_session", session)
                .cookie("transplant_csrf", csrf)
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf)
                .formParam("password", password)
                .post("/account/delete");
    }

    private static Response move(String token, Map<String, ?> body) {
        var request = given().filter(ANSWERS).contentType(ContentType.JSON).body(body);
        return (token == null ? request : request.auth().oauth2(token)).post("/migration/v1/move");
    }

    private static Map<String, Object> body(String nonce, long seq) {
        Map<String, Object> body = new HashMap<>();
        body.put("newHandle", "ann@" + NEW_HOST);
        body.put("newPublicKey", NEW_KEY);
        body.put("nonce", nonce);
        body.put("seenSeq", seq);
        body.put("profileUrl", "http://" + NEW_HOST + "/u/ann");
        body.put("postUrl", "http://" + NEW_HOST + "/posts/{guid}");
        body.put("photoUrl", "http://" + NEW_HOST + "/photos/{guid}");
        return body;
    }

    private static OpenApiValidationFilter contract() {
        String spec;
        try {
            spec = Files.readString(Path.of("openapi/migration-v1.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OpenApiValidationFilter(OpenApiInteractionValidator.createForInlineApiSpecification(spec)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .build())
                .build());
    }
}
