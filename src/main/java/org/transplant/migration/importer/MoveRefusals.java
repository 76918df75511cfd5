package org.transplant.migration.importer;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The old pod's refusal of {@code POST /migration/v1/move} in this pod's own words. The job's error is read by the
 * person on {@code /import/{id}}, in {@code GET /api/v1/imports/{id}} and in mail, and an old pod can put anything
 * in its problem's {@code detail} (a fake "enter your password at …", markup), so nothing of its text is kept: a
 * problem {@code type} this pod knows (what Transplant's own move endpoint sends) gets this pod's sentence, anything
 * else a sentence naming the status code.
 */
final class MoveRefusals {

    private static final String TYPE_BASE = "https://transplant.social/problems/";

    /** The problem types Transplant's move endpoint (MoveService, MoveRequestRules, the token checks) sends. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("already-moved", "Your old pod says this account already moved, so it cannot move again."),
            Map.entry("account-moved", "Your old pod says this account already moved, so it cannot move again."),
            Map.entry("account-not-active", "Your old pod says this account is not active there, so it cannot move."),
            Map.entry("account-closed", "Your old pod says this account is closed, so it cannot move."),
            Map.entry(
                    "move-nonce-mismatch",
                    "Your old pod did not recognise this authorization; confirm the move" + " on your old pod again."),
            Map.entry(
                    "move-destination-mismatch",
                    "Your old pod says you did not agree to move to this pod; confirm"
                            + " the move on your old pod again."),
            Map.entry("insufficient-scope", "Your old pod says this authorization does not allow the move."),
            Map.entry("invalid-input", "Your old pod could not accept this pod's move request."),
            Map.entry("malformed-json", "Your old pod could not read this pod's move request."));

    private MoveRefusals() {}

    /** This pod's sentence for a refused move: by the problem's exact type, else by the status alone. */
    static String words(int status, JsonObject problem) {
        Object type = problem.getValue("type");
        if (type instanceof String text && text.startsWith(TYPE_BASE)) {
            String sentence = WORDS.get(text.substring(TYPE_BASE.length()));
            if (sentence != null) {
                return sentence;
            }
        }
        return "The old pod refused the move (HTTP " + status + ").";
    }
}
