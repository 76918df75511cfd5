package org.transplant.backup;

/** What a pod sends is shown cut and without control characters, so it cannot rewrite the person's terminal. */
final class Words {

    private Words() {}

    static String cut(String text, int max) {
        if (text == null) {
            return "no reason given";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > max ? clean.substring(0, max) + "…" : clean;
    }
}
