package org.transplant.oidc.authorize;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.transplant.oidc.OAuthError;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.client.ClientRegistry;
import org.transplant.oidc.client.RegisteredClient;

/**
 * Checks an authorization request in the order RFC 6749 §4.1.2.1 sets: first the client and its redirect URI (a
 * failure there is shown to the person, never redirected), then everything else (a failure there goes back to the
 * client). The consent form's POST is checked again here, field by field, exactly like the GET.
 */
@ApplicationScoped
public class AuthorizationRequestValidator {

    /** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)); §4.1 allows 43 to 128 characters. */
    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43,128}");

    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
    private static final int MAX_PARAMETER_LENGTH = 2000;

    private final ClientRegistry clients;

    public AuthorizationRequestValidator(ClientRegistry clients) {
        this.clients = clients;
    }

    /** The checked request, or a failure carrying an {@link AuthorizationRefusal}. */
    public Uni<ValidAuthorization> validate(AuthorizationRequest request) {
        if (request.clientId() == null || request.repeated().contains(AuthorizationRequest.CLIENT_ID)) {
            return Uni.createFrom().failure(AuthorizationRefusal.untrusted("The request names no single client_id"));
        }
        return clients.find(request.clientId()).map(client -> check(request, client));
    }

    static ValidAuthorization check(AuthorizationRequest request, RegisteredClient client) {
        if (client == null) {
            throw AuthorizationRefusal.untrusted("No app with this client_id is registered on this pod");
        }
        String redirectUri = redirectUri(request, client);
        Refusals refuse = new Refusals(redirectUri, request.state());
        if (!request.repeated().isEmpty()) {
            // RFC 6749 §3.1: parameters must not be included more than once.
            throw refuse.with(
                    OAuthError.INVALID_REQUEST, "Repeated parameter: " + String.join(", ", request.repeated()));
        }
        if (request.responseType() == null) {
            throw refuse.with(OAuthError.INVALID_REQUEST, "response_type is missing");
        }
        if (!"code".equals(request.responseType())) {
            throw refuse.with(OAuthError.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported");
        }
        if (!client.grantTypes().contains("authorization_code")) {
            throw refuse.with(OAuthError.UNAUTHORIZED_CLIENT, "This client did not register the code flow");
        }
        String challenge = codeChallenge(request, refuse);
        Set<String> scopes = Scopes.parse(request.scope());
        if (scopes == null) {
            throw refuse.with(
                    OAuthError.INVALID_SCOPE,
                    "Unknown scope; this pod offers: " + String.join(" ", Scopes.supported()));
        }
        if (scopes.isEmpty()) {
            throw refuse.with(OAuthError.INVALID_SCOPE, "scope is missing");
        }
        Set<String> prompt = prompt(request, refuse);
        Long maxAge = maxAge(request, refuse);
        if (tooLong(request.state()) || tooLong(request.nonce()) || tooLong(request.loginHint())) {
            throw refuse.with(
                    OAuthError.INVALID_REQUEST,
                    "state, nonce and login_hint may have at most " + MAX_PARAMETER_LENGTH + " characters");
        }
        return new ValidAuthorization(
                request, client, redirectUri, scopes, challenge, prompt, maxAge, loginAfter(request));
    }

    /**
     * The redirect URI must be one the client registered, compared exactly (RFC 6749 §3.1.2.3), and it is required
     * (OpenID Connect Core §3.1.2.1) even when the client registered only one.
     */
    private static String redirectUri(AuthorizationRequest request, RegisteredClient client) {
        if (request.repeated().contains(AuthorizationRequest.REDIRECT_URI)) {
            throw AuthorizationRefusal.untrusted("redirect_uri is given more than once");
        }
        if (request.redirectUri() == null) {
            // OIDC Core §3.1.2.1 makes it required; the token endpoint then always has one to compare (§4.1.3).
            throw AuthorizationRefusal.untrusted("redirect_uri is required");
        }
        if (!client.allowsRedirect(request.redirectUri())) {
            throw AuthorizationRefusal.untrusted("redirect_uri is not one this app registered");
        }
        return request.redirectUri();
    }

    /** PKCE is required of every client, confidential ones too (OAuth 2.0 Security BCP §2.1.1), and only S256. */
    private static String codeChallenge(AuthorizationRequest request, Refusals refuse) {
        if (request.codeChallenge() == null) {
            throw refuse.with(OAuthError.INVALID_REQUEST, "code_challenge is required (PKCE, RFC 7636)");
        }
        // RFC 7636 §4.3: a missing method means plain, which this pod does not accept.
        if (!"S256".equals(request.codeChallengeMethod())) {
            throw refuse.with(OAuthError.INVALID_REQUEST, "code_challenge_method must be S256");
        }
        if (!CODE_CHALLENGE.matcher(request.codeChallenge()).matches()) {
            throw refuse.with(OAuthError.INVALID_REQUEST, "code_challenge must be 43 to 128 base64url characters");
        }
        return request.codeChallenge();
    }

    /** OpenID Connect Core §3.1.2.1: unknown values are ignored; none may not be combined with another value. */
    private static Set<String> prompt(AuthorizationRequest request, Refusals refuse) {
        if (request.prompt() == null || request.prompt().isBlank()) {
            return Set.of();
        }
        Set<String> values =
                new LinkedHashSet<>(Arrays.asList(request.prompt().trim().split(" +")));
        values.retainAll(PROMPTS);
        if (values.contains(ValidAuthorization.PROMPT_NONE) && values.size() > 1) {
            throw refuse.with(OAuthError.INVALID_REQUEST, "prompt=none cannot be combined with other values");
        }
        return Set.copyOf(values);
    }

    private static Long maxAge(AuthorizationRequest request, Refusals refuse) {
        if (request.maxAge() == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(request.maxAge());
            if (seconds >= 0) {
                // Any age beyond a thousand years means the same; capped so that time arithmetic cannot overflow.
                return Math.min(seconds, 1000L * 366 * 86_400);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw refuse.with(OAuthError.INVALID_REQUEST, "max_age must be a number of seconds");
    }

    /** The pod's own marker; a value it cannot read is as if it were absent. */
    private static Instant loginAfter(AuthorizationRequest request) {
        try {
            return request.loginAfter() == null
                    ? null
                    : Instant.EPOCH.plus(Long.parseLong(request.loginAfter()), ChronoUnit.MICROS);
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            return null;
        }
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_PARAMETER_LENGTH;
    }

    private record Refusals(String redirectUri, String state) {
        AuthorizationRefusal with(String code, String description) {
            return AuthorizationRefusal.toClient(redirectUri, state, code, description);
        }
    }
}
