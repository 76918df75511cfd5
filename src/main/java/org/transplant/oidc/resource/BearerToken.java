package org.transplant.oidc.resource;

import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * What a request authorized by one of this pod's access tokens may do: which client holds it, whose account it
 * opens, which scopes it carries, and the time span a backup token is limited to. Read from the identity
 * {@link BearerTokenAugmentor} built. A token's identity is never a browser session: code that acts for the
 * signed-in person ({@link SignedIn}) does not see it, and each endpoint that takes a token reads the account from
 * here, after checking the scope it needs.
 */
public record BearerToken(
        String tokenId,
        String clientId,
        long accountId,
        String username,
        Set<String> scopes,
        Instant spanFrom,
        Instant spanUntil) {

    static final String ATTRIBUTE = "transplant.bearer-token";

    /** The token behind this identity, or null for a browser session or an anonymous caller. */
    public static BearerToken of(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : identity.getAttribute(ATTRIBUTE);
    }

    static BearerToken parse(
            String tokenId,
            String clientId,
            long accountId,
            String username,
            String scope,
            Instant spanFrom,
            Instant spanUntil) {
        return new BearerToken(
                tokenId,
                clientId,
                accountId,
                username,
                Arrays.stream(scope.split(" ")).collect(Collectors.toUnmodifiableSet()),
                spanFrom,
                spanUntil);
    }

    /**
     * The caller's token if it carries one of the scopes; 401 without a token (a browser session is no consent to
     * hand data to an app), 403 {@code insufficient_scope} (RFC 6750 §3.1) with one that lacks them.
     */
    public static BearerToken require(SecurityIdentity identity, String... anyOf) {
        BearerToken token = of(identity);
        if (token == null) {
            throw ProblemException.unauthorized("This call needs an access token (Authorization: Bearer)");
        }
        if (Arrays.stream(anyOf).noneMatch(token.scopes()::contains)) {
            throw new ProblemException(Problem.of(
                    403,
                    "insufficient-scope",
                    "Insufficient scope",
                    "This call needs a token with one of the scopes: " + String.join(", ", anyOf)));
        }
        return token;
    }

    /** The account the token opens, in the terms of the pod's services (for what its scopes allow, no more). */
    public SignedIn account() {
        return new SignedIn(accountId, username);
    }

    /** Whether the person limited this grant to a time span ({@code backup:read}); it then binds every read. */
    public boolean limitedToSpan() {
        return spanFrom != null || spanUntil != null;
    }
}
