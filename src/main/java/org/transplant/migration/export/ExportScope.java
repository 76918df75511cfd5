package org.transplant.migration.export;

import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Whose data an export call reads and within which bounds: always the token's own account, and for a backup token
 * limited to a time span, nothing created outside it.
 */
public record ExportScope(long accountId, String username, String clientId, Instant spanFrom, Instant spanUntil) {

    /** Requires a token with migration:read or backup:read (401 without a token, 403 without the scope). */
    public static ExportScope of(SecurityIdentity identity) {
        BearerToken token = BearerToken.require(identity, Scopes.MIGRATION_READ, Scopes.BACKUP_READ);
        // The span binds whatever else the grant holds: migration:read next to a limited backup:read does not
        // widen what the person chose on the consent page.
        return new ExportScope(
                token.accountId(), token.username(), token.clientId(), token.spanFrom(), token.spanUntil());
    }

    public boolean limitedToSpan() {
        return spanFrom != null || spanUntil != null;
    }

    /**
     * The 404 for one post or photo this token cannot read. For a span-limited token it says what the token may
     * read, in the same words whether the guid lies outside the span or does not exist at all.
     */
    public ProblemException notFound(String noun, String guid) {
        if (!limitedToSpan()) {
            return ProblemException.notFound("The " + noun + " " + guid);
        }
        return new ProblemException(Problem.of(
                404,
                "not-found",
                "Not found",
                "No " + noun + " " + guid + " within what this authorization may read (" + noun + "s made "
                        + spanInWords() + ")"));
    }

    /** The span in days, as the consent page showed it: {@code from 2024-06-01 to 2024-06-30}. */
    private String spanInWords() {
        if (spanFrom == null) {
            return "until " + day(spanUntil);
        }
        return spanUntil == null ? "from " + day(spanFrom) + " on" : "from " + day(spanFrom) + " to " + day(spanUntil);
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The {@link SpanHeader} value for this token, or null when it has no span. */
    public String spanHeader() {
        return SpanHeader.value(spanFrom, spanUntil);
    }

    /** The later of the requested start and the token's. */
    public Instant from(Instant requested) {
        return later(requested, spanFrom);
    }

    /** The earlier of the requested end and the token's. */
    public Instant until(Instant requested) {
        if (requested == null) {
            return spanUntil;
        }
        return spanUntil == null || requested.isBefore(spanUntil) ? requested : spanUntil;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
