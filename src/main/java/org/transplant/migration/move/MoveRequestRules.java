package org.transplant.migration.move;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.transplant.migration.api.MoveRequest;
import org.transplant.pod.Handle;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/** The shape of a move request, checked before anything is read: every field present, URLs absolute http(s). */
final class MoveRequestRules {

    private MoveRequestRules() {}

    static void check(MoveRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-input", "The body must be a JSON move request");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        try {
            Handle.parse("newHandle", request.newHandle());
        } catch (ProblemException e) {
            errors.add(new Problem.FieldError("newHandle", "must look like user@host"));
        }
        // The move notices announce this key: one that cannot be read would have every pod refuse them.
        try {
            KeyPairs.parsePublicKey(request.newPublicKey() == null ? "" : request.newPublicKey());
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("newPublicKey", "must be a PEM public key"));
        }
        if (request.nonce() == null || request.nonce().isBlank()) {
            errors.add(new Problem.FieldError("nonce", "is required"));
        }
        url(errors, "profileUrl", request.profileUrl(), false);
        url(errors, "postUrl", request.postUrl(), true);
        if (request.photoUrl() != null) {
            url(errors, "photoUrl", request.photoUrl(), true);
        }
        if (request.seenSeq() != null && request.seenSeq() < 0) {
            errors.add(new Problem.FieldError("seenSeq", "must not be negative"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
    }

    private static void url(List<Problem.FieldError> errors, String field, String value, boolean pattern) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
            return;
        }
        if (pattern && !value.contains("{guid}")) {
            errors.add(new Problem.FieldError(field, "must hold {guid} where the guid goes"));
            return;
        }
        try {
            URI uri = URI.create(value.replace("{guid}", "g"));
            if (!uri.isAbsolute()
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                errors.add(new Problem.FieldError(field, "must be an absolute http(s) URL"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(field, "must be an absolute http(s) URL"));
        }
    }
}
