package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MultivaluedHashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.oidc.authorize.AuthorizationDecision.AskConsent;
import org.transplant.oidc.authorize.AuthorizationDecision.IssueUnder;
import org.transplant.oidc.authorize.AuthorizationDecision.LogIn;
import org.transplant.oidc.authorize.AuthorizationDecision.Refuse;
import org.transplant.oidc.authorize.GrantStore.Grant;
import org.transplant.oidc.client.RegisteredClient;
import org.transplant.pod.session.SignedIn;

/** The decisions of the authorization endpoint, without HTTP or a database. */
class AuthorizationDeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final RegisteredClient CLIENT = new RegisteredClient(
            "client-1",
            "Pod two",
            List.of("https://two.example/cb"),
            List.of("authorization_code", "refresh_token"),
            "client_secret_basic",
            null,
            NOW.minusSeconds(86_400));

    private static ValidAuthorization request(String... extra) {
        MultivaluedHashMap<String, String> params = new MultivaluedHashMap<>();
        Map.of(
                        "response_type",
                        "code",
                        "client_id",
                        CLIENT.clientId(),
                        "redirect_uri",
                        CLIENT.redirectUris().get(0),
                        "scope",
                        "openid migration:read",
                        "state",
                        "xyz",
                        "code_challenge",
                        OAuthFlow.CHALLENGE,
                        "code_challenge_method",
                        "S256")
                .forEach(params::putSingle);
        for (int i = 0; i < extra.length; i += 2) {
            params.putSingle(extra[i], extra[i + 1]);
        }
        return AuthorizationRequestValidator.check(AuthorizationRequest.from(params), CLIENT);
    }

    private static BrowserSession loggedInAt(Instant when) {
        return new BrowserSession(new SignedIn(7, "ada"), when);
    }

    private static Grant grant(String scope) {
        return new Grant(1, CLIENT.clientId(), CLIENT.clientName(), scope, null, null, NOW.minusSeconds(600));
    }

    @Test
    void nobodySignedInIsSentToLogInAndBackToTheSameRequest() {
        AuthorizationDecision decision = AuthorizationDecider.onRequest(request(), null, null, NOW);
        assertThat(decision)
                .isInstanceOfSatisfying(
                        LogIn.class,
                        login -> assertThat(login.resumeAt())
                                .startsWith("/oauth/authorize?response_type=code&client_id=client-1&")
                                .doesNotContain("login_after"));
    }

    @Test
    void promptNoneNeverShowsAPage() {
        assertThat(AuthorizationDecider.onRequest(request("prompt", "none"), null, null, NOW))
                .isInstanceOfSatisfying(
                        Refuse.class, r -> assertThat(r.refusal().code()).isEqualTo("login_required"));
        BrowserSession session = loggedInAt(NOW.minusSeconds(60));
        assertThat(AuthorizationDecider.onRequest(request("prompt", "none"), session, null, NOW))
                .isInstanceOfSatisfying(
                        Refuse.class, r -> assertThat(r.refusal().code()).isEqualTo("consent_required"));
        assertThat(AuthorizationDecider.onRequest(
                        request("prompt", "none"), session, grant("openid migration:read"), NOW))
                .isInstanceOf(IssueUnder.class);
    }

    @Test
    void aGrantCoversOnlyTheScopesItHolds() {
        assertThat(AuthorizationDecider.covers(grant("openid profile migration:read"), request()))
                .isTrue();
        assertThat(AuthorizationDecider.covers(grant("openid"), request())).isFalse();
    }

    @Test
    void aBackupGrantCoversAProposedSpanOnlyWhenItIsTheSameSpan() {
        BackupSpan june = BackupSpan.parse("2024-06-01", "2024-06-30");
        Grant limited =
                new Grant(1, CLIENT.clientId(), CLIENT.clientName(), "backup:read", june.from(), june.until(), NOW);
        assertThat(AuthorizationDecider.covers(limited, request("scope", "backup:read")))
                .isTrue();
        assertThat(AuthorizationDecider.covers(
                        limited,
                        request("scope", "backup:read", "backup_from", "2024-06-01", "backup_until", "2024-06-30")))
                .isTrue();
        assertThat(AuthorizationDecider.covers(
                        limited,
                        request("scope", "backup:read", "backup_from", "2024-01-01", "backup_until", "2024-12-31")))
                .isFalse();
        assertThat(AuthorizationDecider.covers(
                        grant("backup:read"), request("scope", "backup:read", "backup_from", "2024-06-01")))
                .isFalse();
        // A proposal it cannot use is no proposal.
        assertThat(AuthorizationDecider.covers(limited, request("scope", "backup:read", "backup_from", "2024-13-45")))
                .isTrue();
    }

    @Test
    void promptLoginGoesThroughLogInOnceThenProceeds() {
        BrowserSession old = loggedInAt(NOW.minusSeconds(3600));
        AuthorizationDecision first = AuthorizationDecider.onRequest(request("prompt", "login"), old, null, NOW);
        assertThat(first).isInstanceOf(LogIn.class);
        String resumeAt = ((LogIn) first).resumeAt();
        ValidAuthorization back = request(
                "prompt", "login", "login_after", OAuthFlow.query(resumeAt).get("login_after"));
        assertThat(back.loginAfter()).isEqualTo(old.authenticatedAt());

        assertThat(AuthorizationDecider.onRequest(back, old, null, NOW)).isInstanceOf(LogIn.class);
        BrowserSession fresh = loggedInAt(NOW.minusSeconds(20));
        assertThat(AuthorizationDecider.onRequest(back, fresh, null, NOW.plusSeconds(1)))
                .isInstanceOf(AskConsent.class);
        // A log-in long after the detour does not count: the link is stale.
        assertThat(AuthorizationDecider.onRequest(back, fresh, null, NOW.plusSeconds(3600)))
                .isInstanceOf(LogIn.class);
    }

    @Test
    void maxAgeZeroDoesNotLoop() {
        BrowserSession session = loggedInAt(NOW.minusSeconds(5));
        AuthorizationDecision first = AuthorizationDecider.onRequest(request("max_age", "0"), session, null, NOW);
        String marker = OAuthFlow.query(((LogIn) first).resumeAt()).get("login_after");
        BrowserSession fresh = loggedInAt(NOW.plusSeconds(10));
        assertThat(AuthorizationDecider.onRequest(
                        request("max_age", "0", "login_after", marker), fresh, null, NOW.plusSeconds(12)))
                .isInstanceOf(AskConsent.class);
        assertThat(AuthorizationDecider.onRequest(request("max_age", "60"), session, null, NOW))
                .isInstanceOf(AskConsent.class);
    }

    @Test
    void theAnswerNeedsASessionButIgnoresPromptNone() {
        assertThat(AuthorizationDecider.onAnswer(request(), null, NOW)).isInstanceOf(LogIn.class);
        assertThat(AuthorizationDecider.onAnswer(request("prompt", "none"), loggedInAt(NOW), NOW))
                .isInstanceOf(AskConsent.class);
    }
}
