package org.transplant.backup;

/** What a pod sends is shown cut and without control characters, so it cannot rewrite the person's terminal. */
final class Words {

    private Words() {}

    static String cut(String text, int max) {
        if (text == null) {
            return "no reason given";
        }
        // C0 and C1 controls, and the bidi overrides and isolates that could make a line read otherwise.
        String clean = text.replaceAll("[\\p{Cntrl}\\u0080-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]", "?");
        return clean.length() > max ? clean.substring(0, max) + "…" : clean;
    }
}
