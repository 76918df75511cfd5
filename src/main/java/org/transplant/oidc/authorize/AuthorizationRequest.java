package org.transplant.oidc.authorize;

import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1), as
 * sent: from the query of {@code GET /oauth/authorize} or, unchanged, from the consent form's hidden fields. Nothing
 * here is trusted yet; {@link AuthorizationRequestValidator} decides. Unknown parameters are dropped.
 *
 * @param backupFrom the first day (YYYY-MM-DD) of the span a backup app proposes for {@code backup:read}: only a
 *     proposal the consent page pre-fills; what the person submits binds the grant
 * @param backupUntil the last day of that proposed span
 * @param loginAfter the pod's own marker: the person was sent to log in again (prompt=login, max_age) from a session
 *     that logged in at this time (epoch microseconds), so a newer log-in satisfies the request
 * @param repeated names of parameters that came more than once, which RFC 6749 §3.1 forbids
 */
public record AuthorizationRequest(
        String responseType,
        String clientId,
        String redirectUri,
        String scope,
        String state,
        String nonce,
        String codeChallenge,
        String codeChallengeMethod,
        String prompt,
        String maxAge,
        String loginHint,
        String backupFrom,
        String backupUntil,
        String loginAfter,
        Set<String> repeated) {

    /** A name and value the consent form carries as a hidden input, and the log-in detour as a query parameter. */
    public record Param(String name, String value) {}

    static final String RESPONSE_TYPE = "response_type";
    static final String CLIENT_ID = "client_id";
    static final String REDIRECT_URI = "redirect_uri";
    static final String SCOPE = "scope";
    static final String STATE = "state";
    static final String NONCE = "nonce";
    static final String CODE_CHALLENGE = "code_challenge";
    static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
    static final String PROMPT = "prompt";
    static final String MAX_AGE = "max_age";
    static final String LOGIN_HINT = "login_hint";
    static final String BACKUP_FROM = "backup_from";
    static final String BACKUP_UNTIL = "backup_until";
    static final String LOGIN_AFTER = "login_after";
    private static final List<String> NAMES = List.of(
            RESPONSE_TYPE,
            CLIENT_ID,
            REDIRECT_URI,
            SCOPE,
            STATE,
            NONCE,
            CODE_CHALLENGE,
            CODE_CHALLENGE_METHOD,
            PROMPT,
            MAX_AGE,
            LOGIN_HINT,
            BACKUP_FROM,
            BACKUP_UNTIL,
            LOGIN_AFTER);

    public static AuthorizationRequest from(MultivaluedMap<String, String> parameters) {
        Set<String> repeated = new LinkedHashSet<>();
        for (String name : NAMES) {
            List<String> values = parameters.get(name);
            if (values != null && values.size() > 1) {
                repeated.add(name);
            }
        }
        return new AuthorizationRequest(
                first(parameters, RESPONSE_TYPE),
                first(parameters, CLIENT_ID),
                first(parameters, REDIRECT_URI),
                first(parameters, SCOPE),
                first(parameters, STATE),
                first(parameters, NONCE),
                first(parameters, CODE_CHALLENGE),
                first(parameters, CODE_CHALLENGE_METHOD),
                first(parameters, PROMPT),
                first(parameters, MAX_AGE),
                first(parameters, LOGIN_HINT),
                first(parameters, BACKUP_FROM),
                first(parameters, BACKUP_UNTIL),
                first(parameters, LOGIN_AFTER),
                Set.copyOf(repeated));
    }

    /** The same request, marked as sent to log in again from a session that logged in at {@code loggedInAt}. */
    public AuthorizationRequest withLoginAfter(Instant loggedInAt) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, loggedInAt);
        return new AuthorizationRequest(
                responseType,
                clientId,
                redirectUri,
                scope,
                state,
                nonce,
                codeChallenge,
                codeChallengeMethod,
                prompt,
                maxAge,
                loginHint,
                backupFrom,
                backupUntil,
                Long.toString(micros),
                repeated);
    }

    /** The parameters that were given, in a fixed order. */
    public List<Param> params() {
        String[] values = {
            responseType,
            clientId,
            redirectUri,
            scope,
            state,
            nonce,
            codeChallenge,
            codeChallengeMethod,
            prompt,
            maxAge,
            loginHint,
            backupFrom,
            backupUntil,
            loginAfter
        };
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                params.add(new Param(NAMES.get(i), values[i]));
            }
        }
        return params;
    }

    /** {@code /oauth/authorize?...}: where the log-in page sends the person back to. */
    public String path() {
        return "/oauth/authorize?"
                + params().stream()
                        .map(p -> encode(p.name()) + "=" + encode(p.value()))
                        .collect(Collectors.joining("&"));
    }

    private static String first(MultivaluedMap<String, String> parameters, String name) {
        String value = parameters.getFirst(name);
        return value == null || value.isEmpty() ? null : value;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
