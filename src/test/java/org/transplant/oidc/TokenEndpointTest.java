package org.transplant.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.hamcrest.Matchers;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.OidcFixture.IssuedCode;
import org.transplant.oidc.authorize.GrantStore;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.oidc.keys.SigningKeys;
import org.transplant.pod.account.Account;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class TokenEndpointTest {

    static final String ISSUER = "http://localhost:8081";

    @Inject
    OidcFixture fixture;

    static Registration pod;
    static Registration app;

    @BeforeEach
    void clients() throws Throwable {
        if (pod != null) {
            return;
        }
        PodClient.createAccount("tok_x");
        PodClient.createAccount("tok_y");
        pod = fixture.register("Pod B", "client_secret_basic");
        app = fixture.register("Backup app", "none");
    }

    static ExtractableResponse<Response> exchange(Registration client, IssuedCode code) {
        var request = given().formParam("grant_type", "authorization_code")
                .formParam("code", code.code())
                .formParam("redirect_uri", OidcFixture.REDIRECT)
                .formParam("code_verifier", code.verifier());
        request = client.clientSecret() == null
                ? request.formParam("client_id", client.client().clientId())
                : request.auth().preemptive().basic(client.client().clientId(), client.clientSecret());
        return request.post("/oauth/token").then().extract();
    }

    static ExtractableResponse<Response> refresh(Registration client, String refreshToken) {
        return given().auth()
                .preemptive()
                .basic(client.client().clientId(), client.clientSecret())
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .post("/oauth/token")
                .then()
                .extract();
    }

    static JwtClaims verify(String jwt, String audience) throws Exception {
        String jwks = given().get("/oauth/jwks").asString();
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience(audience)
                .build()
                .processToClaims(jwt);
    }

    @Test
    void codeExchangeGivesTokensThatOpenOnlyTheirAccount() throws Throwable {
        var tokens = exchange(
                pod,
                fixture.consent("tok_x", pod.client().clientId(), "openid profile migration:read", "n-0S6_WzA2Mj"));
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(tokens.header("Cache-Control")).isEqualTo("no-store");
        String access = tokens.path("access_token");
        assertThat((String) tokens.path("token_type")).isEqualTo("Bearer");
        assertThat((String) tokens.path("refresh_token")).isNotBlank();

        JwtClaims claims = verify(access, ISSUER);
        assertThat(claims.getClaimValue("client_id")).isEqualTo(pod.client().clientId());
        assertThat(claims.getClaimValue("scope")).isEqualTo("openid profile migration:read");
        assertThat(claims.getJwtId()).isNotBlank();

        JwtClaims id = verify(tokens.path("id_token"), pod.client().clientId());
        assertThat(id.getClaimValue("nonce")).isEqualTo("n-0S6_WzA2Mj");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(access.getBytes(StandardCharsets.US_ASCII));
        assertThat(id.getClaimValue("at_hash"))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)));
        assertThat(id.getSubject()).isEqualTo(claims.getSubject());

        given().auth()
                .oauth2(access)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .body("handle", equalTo("tok_x@localhost:8081"))
                .body("scopes", hasItem("migration:read"));
        given().auth()
                .oauth2(access)
                .get("/oauth/userinfo")
                .then()
                .statusCode(200)
                .body("sub", equalTo(claims.getSubject()))
                .body("preferred_username", equalTo("tok_x"));

        String other = exchange(pod, fixture.consent("tok_y", pod.client().clientId(), "migration:read", null))
                .path("access_token");
        given().auth()
                .oauth2(other)
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .body("handle", equalTo("tok_y@localhost:8081"));
    }

    @Test
    void replayedCodeIsRefusedAndWhatItIssuedIsRevoked() throws Throwable {
        IssuedCode code = fixture.consent("tok_x", pod.client().clientId(), "migration:read", null);
        String access = exchange(pod, code).path("access_token");
        given().auth().oauth2(access).get("/migration/v1/account").then().statusCode(200);

        var replay = exchange(pod, code);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat((String) replay.path("error")).isEqualTo("invalid_grant");
        given().auth().oauth2(access).get("/migration/v1/account").then().statusCode(401);
    }

    @Test
    void codeExchangeRefusesWrongVerifierRedirectClientAndSecret() throws Throwable {
        IssuedCode code = fixture.consent("tok_x", pod.client().clientId(), "migration:read", null);
        assertThat((String) exchange(pod, new IssuedCode(code.code(), "x".repeat(50)))
                        .path("error"))
                .isEqualTo("invalid_grant");
        IssuedCode second = fixture.consent("tok_x", pod.client().clientId(), "migration:read", null);
        given().auth()
                .preemptive()
                .basic(pod.client().clientId(), pod.clientSecret())
                .formParam("grant_type", "authorization_code")
                .formParam("code", second.code())
                .formParam("redirect_uri", "http://127.0.0.1:9/other")
                .formParam("code_verifier", second.verifier())
                .post("/oauth/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        IssuedCode third = fixture.consent("tok_x", pod.client().clientId(), "migration:read", null);
        given().auth()
                .preemptive()
                .basic(pod.client().clientId(), "wrong-secret")
                .formParam("grant_type", "authorization_code")
                .formParam("code", third.code())
                .formParam("redirect_uri", OidcFixture.REDIRECT)
                .formParam("code_verifier", third.verifier())
                .post("/oauth/token")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", containsString("Basic"));
        assertThat((String) exchange(app, third).path("error")).isEqualTo("invalid_grant");
        given().formParam("grant_type", "password")
                .formParam("client_id", app.client().clientId())
                .post("/oauth/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void publicClientRedeemsWithPkceAlone() throws Throwable {
        var tokens = exchange(app, fixture.consent("tok_x", app.client().clientId(), "backup:read", null));
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat((Object) tokens.path("id_token")).isNull();
        given().auth()
                .oauth2((String) tokens.path("access_token"))
                .get("/migration/v1/account")
                .then()
                .statusCode(200)
                .body("clientId", equalTo(app.client().clientId()));
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenKillsTheFamily() throws Throwable {
        var first = exchange(pod, fixture.consent("tok_x", pod.client().clientId(), "openid migration:read", null));
        String refresh1 = first.path("refresh_token");
        var second = refresh(pod, refresh1);
        assertThat(second.statusCode()).isEqualTo(200);
        String refresh2 = second.path("refresh_token");
        String access2 = second.path("access_token");
        assertThat(refresh2).isNotEqualTo(refresh1);
        given().auth().oauth2(access2).get("/migration/v1/account").then().statusCode(200);

        var reuse = refresh(pod, refresh1);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat((String) reuse.path("error")).isEqualTo("invalid_grant");
        assertThat((String) refresh(pod, refresh2).path("error")).isEqualTo("invalid_grant");
        given().auth().oauth2(access2).get("/migration/v1/account").then().statusCode(401);
    }

    @Test
    void revokedTokensStopWorkingAtOnce() throws Throwable {
        var tokens = exchange(pod, fixture.consent("tok_x", pod.client().clientId(), "migration:read", null));
        String access = tokens.path("access_token");
        given().auth()
                .preemptive()
                .basic(pod.client().clientId(), pod.clientSecret())
                .formParam("token", access)
                .formParam("token_type_hint", "access_token")
                .post("/oauth/revoke")
                .then()
                .statusCode(200);
        given().auth().oauth2(access).get("/migration/v1/account").then().statusCode(401);

        given().auth()
                .preemptive()
                .basic(pod.client().clientId(), pod.clientSecret())
                .formParam("token", (String) tokens.path("refresh_token"))
                .post("/oauth/revoke")
                .then()
                .statusCode(200);
        assertThat((String) refresh(pod, tokens.path("refresh_token")).path("error"))
                .isEqualTo("invalid_grant");

        given().auth()
                .preemptive()
                .basic(pod.client().clientId(), pod.clientSecret())
                .formParam("token", "not-a-token-we-issued")
                .post("/oauth/revoke")
                .then()
                .statusCode(200);
    }

    @Inject
    GrantStore grantStore;

    @Test
    void revokingTheAppInSettingsKillsItsTokens() throws Throwable {
        var tokens = exchange(pod, fixture.consent("tok_y", pod.client().clientId(), "migration:read", null));
        String access = tokens.path("access_token");
        given().auth().oauth2(access).get("/migration/v1/account").then().statusCode(200);
        long accountId = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> Account.findByUsername("tok_y")).map(a -> a.id));
        var grant = VertxContextSupport.subscribeAndAwait(() -> grantStore.liveGrants(accountId)).stream()
                .filter(g -> g.clientId().equals(pod.client().clientId()))
                .findFirst()
                .orElseThrow();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> grantStore.revoke(accountId, grant.id())))
                .isTrue();
        given().auth().oauth2(access).get("/migration/v1/account").then().statusCode(401);
        assertThat((String) refresh(pod, tokens.path("refresh_token")).path("error"))
                .isEqualTo("invalid_grant");
    }

    @Test
    void resourcesCheckScopesAndRefuseBadTokens() throws Throwable {
        String openidOnly = exchange(pod, fixture.consent("tok_x", pod.client().clientId(), "openid", null))
                .path("access_token");
        given().auth()
                .oauth2(openidOnly)
                .get("/migration/v1/account")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", containsString("insufficient-scope"));
        given().get("/migration/v1/account").then().statusCode(401);
        String tampered = openidOnly.substring(0, openidOnly.length() - 4) + "AAAA";
        given().auth()
                .oauth2(tampered)
                .get("/migration/v1/account")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"));
        given().auth().oauth2("garbage").get("/migration/v1/account").then().statusCode(401);
        given().auth().oauth2(openidOnly).get("/api/v1/posts").then().statusCode(403);
    }

    @Inject
    SigningKeys signingKeys;

    @Test
    void aTokenForAnotherAudienceOrPastItsExpiryIsRefused() throws Throwable {
        String access = exchange(pod, fixture.consent("tok_x", pod.client().clientId(), "migration:read", null))
                .path("access_token");
        JwtClaims real = verify(access, ISSUER);
        given().auth().oauth2(access).get("/migration/v1/account").then().statusCode(200);
        var key = VertxContextSupport.subscribeAndAwait(() -> signingKeys.active());
        // Same jti (its row is live), same key: re-signed unchanged it works; only the audience, then only the
        // expiry, differ below.
        String resigned = Jwt.claims(real.getClaimsMap()).jws().keyId(key.kid()).sign(key.privateKey());
        given().auth().oauth2(resigned).get("/migration/v1/account").then().statusCode(200);
        String otherAudience = Jwt.claims(real.getClaimsMap())
                .audience("https://elsewhere.example")
                .jws()
                .keyId(key.kid())
                .sign(key.privateKey());
        given().auth().oauth2(otherAudience).get("/migration/v1/account").then().statusCode(401);
        long past = Instant.now().minusSeconds(3600).getEpochSecond();
        String expired = Jwt.claims(real.getClaimsMap())
                .issuedAt(past - 600)
                .expiresAt(past)
                .jws()
                .keyId(key.kid())
                .sign(key.privateKey());
        given().auth().oauth2(expired).get("/migration/v1/account").then().statusCode(401);
    }

    @Test
    void metadataAndKeysDescribeTheProviderAndSurviveRotation() throws Throwable {
        given().get("/.well-known/openid-configuration")
                .then()
                .statusCode(200)
                .body("issuer", equalTo(ISSUER))
                .body("token_endpoint", equalTo(ISSUER + "/oauth/token"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("scopes_supported", hasItem("migration:move"))
                .body("activitypub_account_portability", notNullValue());
        given().get("/.well-known/oauth-authorization-server")
                .then()
                .statusCode(200)
                .body("issuer", equalTo(ISSUER));

        String before = exchange(pod, fixture.consent("tok_x", pod.client().clientId(), "migration:read", null))
                .path("access_token");
        String rotated = PodClient.admin()
                .post("/admin/v1/oidc/signing-keys/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("kid");
        given().get("/oauth/jwks")
                .then()
                .body("keys.kid", hasItem(rotated))
                .body("keys.size()", Matchers.greaterThanOrEqualTo(2));
        given().auth().oauth2(before).get("/migration/v1/account").then().statusCode(200);
        String after = exchange(pod, fixture.consent("tok_x", pod.client().clientId(), "migration:read", null))
                .path("access_token");
        JsonWebSignature signature = new JsonWebSignature();
        signature.setCompactSerialization(after);
        assertThat(signature.getKeyIdHeaderValue()).isEqualTo(rotated);
        given().auth().oauth2(after).get("/migration/v1/account").then().statusCode(200);
    }
}
