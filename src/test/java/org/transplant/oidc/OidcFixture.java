package org.transplant.oidc;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.transplant.oidc.authorize.AuthorizationCodeStore;
import org.transplant.oidc.authorize.GrantStore;
import org.transplant.oidc.client.ClientRegistry;
import org.transplant.oidc.client.ClientRegistry.Registration;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.account.Account;
import org.transplant.pod.session.SessionTokens;

/**
 * Consent without the pages: registers clients and issues codes straight through the stores, so the token side
 * can be tested on its own. The consent pages have tests of their own.
 */
@ApplicationScoped
public class OidcFixture {

    public static final String REDIRECT = "http://127.0.0.1:9/callback";

    /** A code and the PKCE verifier that redeems it. */
    public record IssuedCode(String code, String verifier) {}

    private final ClientRegistry clients;
    private final GrantStore grants;
    private final AuthorizationCodeStore codes;

    public OidcFixture(ClientRegistry clients, GrantStore grants, AuthorizationCodeStore codes) {
        this.clients = clients;
        this.grants = grants;
        this.codes = codes;
    }

    public Registration register(String name, String authMethod) throws Throwable {
        return register(name, authMethod, List.of(REDIRECT));
    }

    /** A client with several redirect URIs; {@link #consent} sends the person back to {@link #REDIRECT}. */
    public Registration register(String name, String authMethod, List<String> redirectUris) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> clients.register(
                name, redirectUris, List.of("authorization_code", "refresh_token"), authMethod, null, null));
    }

    /** Consent, then the code exchanged at /oauth/token as the client would: the access token. */
    public String accessToken(Registration app, String username, String scope, Instant spanFrom, Instant spanUntil)
            throws Throwable {
        IssuedCode code = consent(username, app.client().clientId(), scope, null, spanFrom, spanUntil);
        return RestAssured.given()
                .auth()
                .preemptive()
                .basic(app.client().clientId(), app.clientSecret())
                .formParam("grant_type", "authorization_code")
                .formParam("code", code.code())
                .formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", code.verifier())
                .post("/oauth/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    public IssuedCode consent(String username, String clientId, String scope, String nonce) throws Throwable {
        return consent(username, clientId, scope, nonce, null, null);
    }

    public IssuedCode consent(
            String username, String clientId, String scope, String nonce, Instant spanFrom, Instant spanUntil)
            throws Throwable {
        long accountId = VertxContextSupport.subscribeAndAwait(() ->
                Panache.withSession(() -> Account.findByUsername(username)).map(a -> a.id));
        String verifier = SessionTokens.newToken() + SessionTokens.newToken();
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        long grantId = VertxContextSupport.subscribeAndAwait(
                () -> grants.grant(accountId, clientId, scope, spanFrom, spanUntil, RegisteredClient.hostOf(REDIRECT)));
        String code = VertxContextSupport.subscribeAndAwait(
                () -> codes.issue(grantId, clientId, accountId, REDIRECT, scope, nonce, challenge, Instant.now()));
        return new IssuedCode(code, verifier);
    }
}
