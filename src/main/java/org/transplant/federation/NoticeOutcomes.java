package org.transplant.federation;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the delivery of a move notice to one pod ended, as a code this pod chose and a sentence of its own. A contact's
 * pod refusing a notice explains itself in a problem, but its {@code detail} is free text that ends up on the moving
 * person's page (a fake "enter your password at …", markup), so only the problem's {@code type}, when it exactly
 * matches one a Transplant inbox sends, is kept; anything else becomes {@code http-<status>}. The same codes travel in
 * the old pod's report to the new pod, which words them with {@link #sentence} and never shows the report's text.
 */
public final class NoticeOutcomes {

    private static final String TYPE_BASE = "https://transplant.social/problems/";
    private static final Pattern HTTP = Pattern.compile("http-[1-5][0-9][0-9]");

    /** The refusals a Transplant inbox sends (InboxResource, MoveNoticeJws, MoveNoticeReceiver), in our words. */
    private static final Map<String, String> REMOTE = Map.ofEntries(
            Map.entry("unknown-identity", "that pod knows nobody by the old identity, or no key for it"),
            Map.entry("bad-signature", "that pod could not verify the notice's signature with the key it holds"),
            Map.entry("notice-expired", "that pod found the notice expired"),
            Map.entry(
                    "new-identity-mismatch",
                    "that pod could not confirm the new identity (its pod must serve the"
                            + " announced key and name the old identity)"),
            Map.entry("already-moved", "that pod has the old identity moved elsewhere already"),
            Map.entry("bad-notice", "that pod could not read the notice"),
            Map.entry("too-large", "that pod found the notice too large"),
            Map.entry("unsupported-media-type", "that pod could not read the notice"),
            Map.entry("old-identity-unreachable", "that pod could not reach the old pod to check the notice"),
            Map.entry("new-identity-unreachable", "that pod could not reach the new pod to confirm the move"),
            Map.entry("too-many-requests", "that pod asked to wait (too many notices at once)"));

    /** What this pod itself found on the way. */
    private static final Map<String, String> LOCAL = Map.ofEntries(
            Map.entry("accepted", "accepted"),
            Map.entry("already-applied", "accepted earlier"),
            Map.entry("not-a-handle", "the contact's handle is not one this pod can reach"),
            Map.entry("no-inbox", "that pod takes no move notices (its WebFinger names no inbox)"),
            Map.entry("inbox-elsewhere", "that pod names an inbox on another host"),
            Map.entry("not-acknowledged", "that pod answered without acknowledging the notice"),
            Map.entry(
                    "not-called",
                    "this pod will not call that pod (not on the public internet, or not over" + " https)"),
            Map.entry("unreachable", "that pod could not be reached"));

    private NoticeOutcomes() {}

    /** The code of a refusal: the problem's type if it exactly names one a Transplant inbox sends, else the status. */
    public static String ofAnswer(int status, Object problemType) {
        if (problemType instanceof String type && type.startsWith(TYPE_BASE)) {
            String slug = type.substring(TYPE_BASE.length());
            if (REMOTE.containsKey(slug)) {
                return slug;
            }
        }
        return status >= 100 && status <= 599 ? "http-" + status : "unreachable";
    }

    /** {@code code} if it is one of these codes exactly, else null: a report from another pod says anything. */
    public static String known(Object code) {
        return code instanceof String text
                        && (REMOTE.containsKey(text)
                                || LOCAL.containsKey(text)
                                || HTTP.matcher(text).matches())
                ? text
                : null;
    }

    /** This pod's sentence for a code; null for none or one it does not know. */
    public static String sentence(Object code) {
        String known = known(code);
        if (known == null) {
            return null;
        }
        if (known.startsWith("http-")) {
            return "that pod answered HTTP " + known.substring("http-".length());
        }
        return REMOTE.containsKey(known) ? REMOTE.get(known) : LOCAL.get(known);
    }
}
