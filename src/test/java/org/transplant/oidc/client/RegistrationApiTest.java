package org.transplant.oidc.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

/** Dynamic client registration (RFC 7591): who may register, and the RFC 7591 §3.2.2 refusals. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RegistrationApiTest {

    private static Map<String, Object> metadata(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Pod two");
        body.put("redirect_uris", List.of("https://two.example/oauth/callback"));
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    private static ValidatableResponse register(Object body) {
        return given().contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .body(body)
                .post("/oauth/register")
                .then();
    }

    private static void refused(Object body, String error, String descriptionPart) {
        register(body)
                .statusCode(400)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("error", equalTo(error))
                .body("error_description", containsString(descriptionPart));
    }

    @Test
    void confidentialClientRegistersWithASecretAndTheDefaults() {
        register(metadata("client_uri", "https://two.example", "software_id", "transplant"))
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("client_id", notNullValue())
                .body("client_secret.length()", greaterThan(30))
                .body("client_secret_expires_at", equalTo(0))
                .body("client_id_issued_at", greaterThan(1_700_000_000))
                .body("client_name", equalTo("Pod two"))
                .body("redirect_uris", equalTo(List.of("https://two.example/oauth/callback")))
                .body("grant_types", equalTo(List.of("authorization_code", "refresh_token")))
                .body("response_types", equalTo(List.of("code")))
                .body("token_endpoint_auth_method", equalTo("client_secret_basic"))
                .body("client_uri", equalTo("https://two.example"))
                .body("software_id", equalTo("transplant"));
    }

    @Test
    void publicNativeClientRegistersWithoutASecret() {
        register(metadata(
                        "client_name",
                        "Backup app",
                        "token_endpoint_auth_method",
                        "none",
                        "grant_types",
                        List.of("authorization_code"),
                        "redirect_uris",
                        List.of(
                                "http://127.0.0.1:49152/callback",
                                "http://[::1]:49152/callback",
                                "http://localhost/cb")))
                .statusCode(201)
                .body("client_id", notNullValue())
                .body("$", not(hasKey("client_secret")))
                .body("$", not(hasKey("client_secret_expires_at")))
                .body("token_endpoint_auth_method", equalTo("none"))
                .body("grant_types", equalTo(List.of("authorization_code")))
                .body("redirect_uris[1]", equalTo("http://[::1]:49152/callback"));
    }

    @Test
    void clientSecretPostIsAccepted() {
        register(metadata("token_endpoint_auth_method", "client_secret_post"))
                .statusCode(201)
                .body("token_endpoint_auth_method", equalTo("client_secret_post"))
                .body("client_secret", notNullValue());
    }

    @Test
    void plainHttpRedirectOnAnotherHostIsAnInvalidRedirectUri() {
        refused(metadata("redirect_uris", List.of("http://two.example/callback")), "invalid_redirect_uri", "https");
    }

    @Test
    void missingRedirectUrisIsAnInvalidRedirectUri() {
        Map<String, Object> body = metadata();
        body.remove("redirect_uris");
        refused(body, "invalid_redirect_uri", "redirect_uris is required");
        refused(metadata("redirect_uris", List.of()), "invalid_redirect_uri", "1 to 10");
    }

    @Test
    void redirectUriWithAFragmentIsRefused() {
        refused(metadata("redirect_uris", List.of("https://two.example/cb#here")), "invalid_redirect_uri", "fragment");
    }

    @Test
    void relativeOrOverlongRedirectUrisAreRefused() {
        refused(metadata("redirect_uris", List.of("/callback")), "invalid_redirect_uri", "absolute");
        refused(
                metadata("redirect_uris", List.of("https://two.example/" + "a".repeat(2000))),
                "invalid_redirect_uri",
                "longer than");
        refused(
                metadata("redirect_uris", List.of("https://two.example/cb", 42)),
                "invalid_redirect_uri",
                "array of strings");
    }

    @Test
    void unknownGrantTypeIsInvalidClientMetadata() {
        refused(
                metadata("grant_types", List.of("authorization_code", "password")),
                "invalid_client_metadata",
                "grant_types");
        refused(
                metadata("grant_types", List.of("refresh_token")),
                "invalid_client_metadata",
                "must include authorization_code");
    }

    @Test
    void unknownAuthMethodIsInvalidClientMetadata() {
        refused(
                metadata("token_endpoint_auth_method", "private_key_jwt"),
                "invalid_client_metadata",
                "token_endpoint_auth_method");
    }

    @Test
    void responseTypesOtherThanCodeAreRefused() {
        refused(metadata("response_types", List.of("code", "token")), "invalid_client_metadata", "response_types");
    }

    @Test
    void clientNameIsRequiredAndShort() {
        Map<String, Object> body = metadata();
        body.remove("client_name");
        refused(body, "invalid_client_metadata", "client_name is required");
        refused(metadata("client_name", "x".repeat(101)), "invalid_client_metadata", "1 to 100");
        refused(metadata("client_name", 7), "invalid_client_metadata", "must be a string");
    }

    @Test
    void unknownScopeIsRefusedAndUnknownFieldsAreIgnored() {
        refused(metadata("scope", "openid admin"), "invalid_client_metadata", "scope");
        register(metadata("scope", "openid migration:read", "logo_uri", "https://two.example/logo.png"))
                .statusCode(201)
                .body("$", not(hasKey("logo_uri")));
    }

    @Test
    void malformedJsonIsInvalidClientMetadataNotAProblem() {
        given().contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .body("{\"client_name\": \"x\", ")
                .post("/oauth/register")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error", equalTo("invalid_client_metadata"))
                .body("error_description", containsString("not valid JSON"));
        given().contentType(ContentType.JSON)
                .body("[1, 2]")
                .post("/oauth/register")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error", equalTo("invalid_client_metadata"));
        given().contentType(ContentType.JSON)
                .body("")
                .post("/oauth/register")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error", equalTo("invalid_client_metadata"));
    }
}
