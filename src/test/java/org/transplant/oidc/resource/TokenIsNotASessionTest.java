package org.transplant.oidc.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.SqlLines;

/**
 * An access token is not a browser session: whatever its scopes, it cannot post, comment, like, start an import,
 * delete an account or revoke an app through the pages or {@code /api/v1}, and such a request changes nothing. It
 * still reaches what its scopes name: the Migration API, {@code /oauth/userinfo}, {@code GET /api/v1/profile}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class TokenIsNotASessionTest {

    private static final String ALL = "openid profile migration:read migration:move backup:read";

    @Inject
    OidcFixture fixture;

    @Inject
    Pool pool;

    @Test
    void aTokenWithOnlyOpenidOrWithEveryScopeActsAsNobodyOnPagesAndApi() throws Throwable {
        String session = PodClient.signedIn("tns_ann");
        PodClient.createAccount("tns_empty");
        String post = PodClient.as(session)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "mine", "public", true))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        Registration app = fixture.register("Token holder", "client_secret_basic");
        Registration other = fixture.register("Token holder two", "client_secret_basic");
        String openid = fixture.accessToken(app, "tns_ann", "openid", null, null);
        String everything = fixture.accessToken(other, "tns_ann", ALL, null, null);
        String emptyAccount = fixture.accessToken(app, "tns_empty", ALL, null, null);
        long grant = Long.parseLong(sql("SELECT g.id FROM oidc_grants g JOIN accounts a ON a.id = g.account_id"
                        + " WHERE a.username = 'tns_ann' AND g.revoked_at IS NULL ORDER BY g.id LIMIT 1")
                .get(0));
        List<String> before = state();

        for (String token : List.of(openid, everything)) {
            refused(bearer(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "by token", "public", true))
                    .post("/api/v1/posts"));
            refused(bearer(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "by token"))
                    .post("/api/v1/posts/" + post + "/comments"));
            refused(bearer(token).contentType(ContentType.JSON).post("/api/v1/posts/" + post + "/likes"));
            refused(bearer(token).delete("/api/v1/posts/" + post));
            refused(bearer(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("firstName", "Token"))
                    .put("/api/v1/profile"));
            // The pages' forms, with a valid CSRF pair: the token holder can get one as anyone can.
            refused(form(token)
                    .multiPart("text", "by token")
                    .multiPart("csrf", csrf(token))
                    .post("/posts"));
            refused(form(token)
                    .contentType(ContentType.URLENC)
                    .formParam("text", "by token")
                    .formParam("csrf", csrf(token))
                    .post("/posts/" + post + "/comments"));
            refused(form(token)
                    .contentType(ContentType.URLENC)
                    .formParam("csrf", csrf(token))
                    .post("/posts/" + post + "/like"));
            refused(form(token)
                    .contentType(ContentType.URLENC)
                    .formParam("csrf", csrf(token))
                    .post("/settings/apps/" + grant + "/revoke"));
            refused(form(token).get("/settings/apps"));
        }
        // Starting an import into the (empty) account the token opens, through the API and the page.
        refused(bearer(emptyAccount)
                .contentType(ContentType.JSON)
                .body(Map.of("handle", "someone@127.0.0.1:9", "photos", "COPY"))
                .post("/api/v1/imports"));
        refused(form(emptyAccount)
                .contentType(ContentType.URLENC)
                .formParam("handle", "someone@127.0.0.1:9")
                .formParam("photos", "COPY")
                .formParam("csrf", csrf(emptyAccount))
                .post("/import"));
        assertThat(state()).isEqualTo(before);

        // What the scopes name still works.
        bearer(everything).get("/api/v1/profile").then().statusCode(200);
        refused(bearer(openid).get("/api/v1/profile"));
        bearer(openid)
                .get("/oauth/userinfo")
                .then()
                .statusCode(200)
                .body("handle", equalTo(PodClient.handle("tns_ann")));
        bearer(everything)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .body("handle", equalTo(PodClient.handle("tns_ann")));
        // And the session itself is untouched by all this.
        PodClient.as(session).get("/api/v1/posts/" + post).then().statusCode(200);
    }

    @Test
    void aTokenCannotDeleteWhatIsLeftOfAMovedAccount() throws Throwable {
        PodClient.createAccount("tns_mover");
        Registration app = fixture.register("Token of a mover", "client_secret_basic");
        String token = fixture.accessToken(app, "tns_mover", ALL, null, null);
        sql("UPDATE accounts SET state = 'MOVED', moved_to = 'mover@127.0.0.1:9', moved_at = now()"
                + " WHERE username = 'tns_mover'");
        refused(form(token)
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf(token))
                .formParam("password", PodClient.PASSWORD)
                .post("/account/delete"));
        assertThat(sql("SELECT state FROM accounts WHERE username = 'tns_mover'"))
                .containsExactly("MOVED");
    }

    private static RequestSpecification bearer(String token) {
        return given().redirects().follow(false).auth().oauth2(token);
    }

    private static final Map<String, String> CSRF = new HashMap<>();

    /** A CSRF value and its cookie, as any visitor (the token holder too) gets them. */
    private static String csrf(String token) {
        return CSRF.computeIfAbsent(token, t -> PodClient.csrf());
    }

    private static RequestSpecification form(String token) {
        return bearer(token).cookie("transplant_csrf", csrf(token));
    }

    private static void refused(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isIn(401, 403);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    /** What a token holder acting as the person would have changed. */
    private List<String> state() {
        List<String> lines = new ArrayList<>();
        lines.addAll(sql("SELECT a.username, a.state, (SELECT count(*) FROM posts p WHERE p.account_id = a.id),"
                + " (SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.account_id = a.id),"
                + " (SELECT count(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.account_id = a.id),"
                + " (SELECT count(*) FROM import_jobs j WHERE j.account_id = a.id),"
                + " (SELECT count(*) FROM oidc_grants g WHERE g.account_id = a.id AND g.revoked_at IS NULL),"
                + " (SELECT first_name FROM profiles WHERE account_id = a.id)"
                + " FROM accounts a WHERE a.username LIKE 'tns\\_%' ORDER BY 1"));
        lines.addAll(sql("SELECT count(*) FROM import_jobs"));
        return lines;
    }

    private List<String> sql(String query) {
        return SqlLines.of(pool, query);
    }
}
