package org.transplant.archive;

import java.util.Locale;

/** What the person chose to do with their photos when they asked for the archive. */
public enum PhotoChoice {
    /** The photos' bytes travel inside the archive. */
    INCLUDED,
    /** The photos stay on the old pod; the archive carries their records and links. */
    LINKED,
    /** Neither the bytes nor the links: the posts arrive without their photos. */
    LEFT_OUT;

    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PhotoChoice of(String value) {
        for (PhotoChoice choice : values()) {
            if (choice.value().equals(value)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("no photo choice " + value);
    }
}
