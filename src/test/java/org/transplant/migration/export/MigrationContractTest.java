package org.transplant.migration.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * The Migration API contract ({@code openapi/migration-v1.yaml}) against real answers of the pod: every request
 * here goes through the swagger-request-validator filter, which fails the test when a response (status, headers,
 * body) is not what the file promises. The error cases send requests the contract itself calls invalid, so their
 * filter checks the response only.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MigrationContractTest {

    static final Path CONTRACT = Path.of("openapi", "migration-v1.yaml");
    static final String INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    /** Request and response both checked against the contract. */
    static final OpenApiValidationFilter STRICT = filter(false);
    /** Only the response checked: for requests the contract refuses on purpose (no token, limit=0, …). */
    static final OpenApiValidationFilter RESPONSES = filter(true);

    @Inject
    OidcFixture fixture;

    static String migrationToken;
    static String openidToken;

    static OpenApiValidationFilter filter(boolean responsesOnly) {
        String spec;
        try {
            spec = Files.readString(CONTRACT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OpenApiInteractionValidator.Builder validator =
                OpenApiInteractionValidator.createForInlineApiSpecification(spec);
        if (responsesOnly) {
            validator.withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .build());
        }
        return new OpenApiValidationFilter(validator.build());
    }

    @BeforeEach
    void account() throws Throwable {
        if (migrationToken != null) {
            return;
        }
        PodClient.createAccount("contract");
        Map<String, Object> amounts = new HashMap<>(Map.of(
                "posts",
                25,
                "commentsPerPost",
                2,
                "likesPerPost",
                3,
                "photos",
                3,
                "photoBytes",
                3000,
                "contacts",
                6,
                "conversations",
                2,
                "messagesPerConversation",
                3));
        amounts.put("seed", 11);
        PodClient.admin()
                .body(amounts)
                .post("/admin/v1/accounts/contract/synthetic-content")
                .then()
                .statusCode(200);
        // Two clients: a new consent of one client replaces its earlier grant (and kills that grant's tokens).
        migrationToken =
                token(fixture.register("Contract pod", "client_secret_basic"), "openid profile migration:read");
        openidToken = token(fixture.register("Contract sign-in", "client_secret_basic"), "openid");
    }

    private String token(Registration client, String scope) throws Throwable {
        return fixture.accessToken(client, "contract", scope, null, null);
    }

    @Test
    void accountDocumentFollowsTheContract() {
        Response account = given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .get("/migration/v1/account");
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.<String>path("snapshotAt")).matches(INSTANT);
        assertThat(account.<Map<String, String>>path("collections"))
                .containsKeys("posts", "contacts", "photos", "conversations", "tag-followings", "notifications");

        // The document names the time of its snapshot (the database's now(), read by a later transaction), so a
        // revalidation finds it changed: 200, a later snapshotAt and a new ETag, never a 304 for a stale one.
        Response again = given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .header("If-None-Match", account.header("ETag"))
                .get("/migration/v1/account");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(again.path("snapshotAt"))).isAfter(Instant.parse(account.path("snapshotAt")));
        assertThat(again.header("ETag")).isNotBlank().isNotEqualTo(account.header("ETag"));
    }

    @Test
    void postPagesFollowTheContract() {
        Response first = given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .queryParam("limit", 20)
                .get("/migration/v1/posts");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.<List<?>>path("items")).hasSize(20);
        assertThat(first.<String>path("items[0].createdAt")).matches(INSTANT);
        assertThat(first.<String>path("items[0].comments[0].createdAt")).matches(INSTANT);
        String next = first.path("next");
        assertThat(first.header("Link")).isEqualTo("<" + next + ">; rel=\"next\"");

        Response second = given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .get(next);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.<List<?>>path("items")).hasSize(5);
        assertThat(second.<String>path("next")).isNull();
        assertThat(second.header("Link")).isNull();

        given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .header("If-None-Match", second.header("ETag"))
                .get(next)
                .then()
                .statusCode(304);

        given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .queryParam("since", "2000-01-01")
                .queryParam("until", "2999-12-31T00:00:00Z")
                .queryParam("snapshot", first.<Integer>path("snapshot"))
                .queryParam("changedAfter", 0)
                .get("/migration/v1/posts")
                .then()
                .statusCode(200);
    }

    @Test
    void postStreamIsOneRecordPerLine() {
        Response stream = given().filter(STRICT)
                .auth()
                .oauth2(migrationToken)
                .accept("application/x-ndjson")
                .get("/migration/v1/posts");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("application/x-ndjson");
        assertThat(stream.asString().lines()).hasSize(25).allMatch(line -> line.startsWith("{\"guid\":"));
    }

    @Test
    void refusalsAreProblemsAsTheContractSays() {
        given().filter(RESPONSES)
                .accept("application/json")
                .get("/migration/v1/account")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .accept("application/json")
                .get("/migration/v1/posts")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .auth()
                .oauth2("not-a-token-this-pod-issued")
                .accept("application/json")
                .get("/migration/v1/posts")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        given().filter(RESPONSES)
                .auth()
                .oauth2(openidToken)
                .accept("application/json")
                .get("/migration/v1/account")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .auth()
                .oauth2(openidToken)
                .accept("application/json")
                .get("/migration/v1/posts")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .queryParam("cursor", "bm90LWEtY3Vyc29y")
                .get("/migration/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .queryParam("limit", 0)
                .get("/migration/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .queryParam("since", "yesterday")
                .get("/migration/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().filter(RESPONSES)
                .auth()
                .oauth2(migrationToken)
                .accept("application/json")
                .get("/migration/v1/no-such-collection")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
