package org.transplant.oidc.authorize;

import java.time.Instant;
import java.util.Set;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.client.RegisteredClient;

/**
 * An authorization request that passed every check: a known client, a redirect URI it registered, an S256 PKCE
 * challenge and scopes this pod offers. {@code maxAge} and {@code loginAfter} are null when absent.
 */
public record ValidAuthorization(
        AuthorizationRequest request,
        RegisteredClient client,
        String redirectUri,
        Set<String> scopes,
        String codeChallenge,
        Set<String> prompt,
        Long maxAge,
        Instant loginAfter) {

    public static final String PROMPT_NONE = "none";
    public static final String PROMPT_LOGIN = "login";

    public String state() {
        return request.state();
    }

    public String nonce() {
        return request.nonce();
    }

    public String scope() {
        return Scopes.format(scopes);
    }

    public boolean promptNone() {
        return prompt.contains(PROMPT_NONE);
    }

    public boolean asksForBackup() {
        return scopes.contains(Scopes.BACKUP_READ);
    }

    /** The span the app proposes for {@code backup:read}, if it asks for that and proposes a usable one; else null. */
    public BackupSpan proposedSpan() {
        return asksForBackup() ? BackupSpan.proposal(request.backupFrom(), request.backupUntil()) : null;
    }

    /** An error that goes back to the client. */
    public AuthorizationRefusal refuse(String code, String description) {
        return AuthorizationRefusal.toClient(redirectUri, state(), code, description);
    }
}
