package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformation;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformationResponse;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationResponseParser;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.Chromium;
import org.transplant.testing.LoopbackApp;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodProcess;

/**
 * An off-the-shelf relying party (Nimbus OAuth 2.0 SDK with OpenID Connect extensions) against a pod process: it
 * discovers the pod, registers, sends a person through log-in and consent in Chromium, validates the ID token,
 * calls userinfo, refreshes and revokes.
 */
class OidcRelyingPartyIT {

    static PodProcess pod;
    static LoopbackApp app;

    @BeforeAll
    static void start() throws Exception {
        app = LoopbackApp.start();
        pod = PodProcess.start("oidc-rp");
        PodApi.of(pod).createAccount("olga");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pod != null) {
            pod.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void offTheShelfRelyingPartyCompletesTheWholeFlow() throws Exception {
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(pod.baseUrl()));
        assertThat(provider.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);

        OIDCClientMetadata wanted = new OIDCClientMetadata();
        wanted.setRedirectionURI(app.callback());
        wanted.setName("Pod B (relying party test)");
        wanted.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        HTTPResponse registered = new OIDCClientRegistrationRequest(provider.getRegistrationEndpointURI(), wanted, null)
                .toHTTPRequest()
                .send();
        OIDCClientInformation client = ((OIDCClientInformationResponse)
                        OIDCClientRegistrationResponseParser.parse(registered))
                .getOIDCClientInformation();

        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        State state = new State();
        URI authorize = new AuthenticationRequest.Builder(
                        new ResponseType("code"),
                        new Scope("openid", "profile", "migration:read"),
                        client.getID(),
                        app.callback())
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();

        AuthorizationResponse answer = AuthorizationResponse.parse(consentInBrowser(authorize, "allow"));
        assertThat(answer.getState()).isEqualTo(state);
        AuthorizationCode code = ((AuthorizationSuccessResponse) answer).getAuthorizationCode();

        TokenResponse response = OIDCTokenResponseParser.parse(new TokenRequest(
                        provider.getTokenEndpointURI(),
                        new ClientSecretBasic(client.getID(), client.getSecret()),
                        new AuthorizationCodeGrant(code, app.callback(), verifier))
                .toHTTPRequest()
                .send());
        assertThat(response.indicatesSuccess()).as("token response").isTrue();
        OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();

        IDTokenValidator validator = new IDTokenValidator(
                provider.getIssuer(),
                client.getID(),
                JWSAlgorithm.RS256,
                provider.getJWKSetURI().toURL());
        IDTokenClaimsSet id = validator.validate(tokens.getOIDCTokens().getIDToken(), nonce);
        assertThat(id.getSubject().getValue()).isNotBlank();

        BearerAccessToken access = tokens.getOIDCTokens().getBearerAccessToken();
        UserInfoResponse userInfo =
                UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(), access)
                        .toHTTPRequest()
                        .send());
        assertThat(userInfo.indicatesSuccess()).isTrue();
        assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject()).isEqualTo(id.getSubject());
        assertThat(userInfo.toSuccessResponse().getUserInfo().getPreferredUsername())
                .isEqualTo("olga");
        assertThat(accountCall(access)).isEqualTo(200);

        RefreshToken refresh = tokens.getOIDCTokens().getRefreshToken();
        TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(
                        provider.getTokenEndpointURI(),
                        new ClientSecretBasic(client.getID(), client.getSecret()),
                        new RefreshTokenGrant(refresh))
                .toHTTPRequest()
                .send());
        assertThat(refreshed.indicatesSuccess()).isTrue();
        BearerAccessToken second = refreshed.toSuccessResponse().getTokens().getBearerAccessToken();
        assertThat(accountCall(second)).isEqualTo(200);

        HTTPResponse revoked = new TokenRevocationRequest(
                        provider.getRevocationEndpointURI(),
                        new ClientSecretBasic(client.getID(), client.getSecret()),
                        second)
                .toHTTPRequest()
                .send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(accountCall(second)).isEqualTo(401);

        AuthorizationResponse denied = AuthorizationResponse.parse(consentInBrowser(
                new AuthenticationRequest.Builder(
                                new ResponseType("code"),
                                new Scope("openid", "migration:read"),
                                client.getID(),
                                app.callback())
                        .endpointURI(provider.getAuthorizationEndpointURI())
                        .state(new State())
                        .nonce(new Nonce())
                        .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                        .build()
                        .toURI(),
                "deny"));
        assertThat(((AuthorizationErrorResponse) denied).getErrorObject().getCode())
                .isEqualTo("access_denied");
    }

    /** Opens the authorization URL in Chromium, logs in as olga, clicks the decision, returns the callback URL. */
    private static URI consentInBrowser(URI authorize, String decision) {
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(authorize.toString());
            page.fill("input[name=username]", "olga");
            page.fill("input[name=password]", PodApi.PASSWORD);
            page.click("button[type=submit]");
            page.click("button[name=decision][value=" + decision + "]");
            page.waitForURL(app.callback() + "?**");
            return URI.create(page.url());
        }
    }

    private static int accountCall(BearerAccessToken token) throws Exception {
        var connection = (HttpURLConnection) new URL(pod.baseUrl() + "/migration/v1/account").openConnection();
        connection.setRequestProperty("Authorization", token.toAuthorizationHeader());
        return connection.getResponseCode();
    }
}
