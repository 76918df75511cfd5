package org.transplant.backup;

import java.util.regex.Pattern;

/**
 * The names of the folder format a pod imports ({@code transplant-folder/1}, the data part of an archive): the
 * client writes it without the pod's classes, so it runs from a jar of the JDK and Jackson alone.
 */
final class FolderLayout {

    static final String FORMAT = "transplant-folder/1";
    static final String MANIFEST = "manifest.json";
    static final String ACCOUNT = "account.json";

    /** A guid as pods write them; anything else never becomes a file name or a path. */
    private static final Pattern GUID = Pattern.compile("[0-9a-zA-Z_\\-]{16,64}");

    private FolderLayout() {}

    static String fileOf(String collection) {
        return collection + ".ndjson";
    }

    static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }
}
