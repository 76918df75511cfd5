package org.transplant.migration.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.transplant.pod.Guids;

/**
 * The folder an account is exported to and imported from: {@code account.json} (the account document),
 * {@code <collection>.ndjson} (every record of the collection as {@code /migration/v1} serves it, one per line, posts
 * with all their comments and likes), {@code photos/<guid>} (a photo's bytes), in an archive {@code key.pem}, and {@code manifest.json} (this
 * format's version, the SHA-256, size and record count of every other file). Nothing else is read.
 */
public final class FolderFormat {

    /** The manifest's {@code format}. A reader refuses any other. */
    public static final String VERSION = "transplant-folder/1";

    public static final String MANIFEST = "manifest.json";
    public static final String ACCOUNT = "account.json";
    public static final String PHOTOS = "photos";

    /** The account's private key (PKCS#8 PEM): only in an archive's encrypted part, never in a plain folder. */
    public static final String KEY = "key.pem";

    /** The collections, in the order an import writes them. */
    public static final List<String> COLLECTIONS = MigrationFormat.COLLECTIONS;

    /** The longest line of a collection file, in bytes. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    /** The largest account document or manifest, in bytes. */
    public static final long MAX_DOCUMENT_BYTES = 64L << 20;

    /** The largest collection file, in bytes. */
    public static final long MAX_COLLECTION_BYTES = 4L << 30;

    private FolderFormat() {}

    public static String fileOf(String collection) {
        return collection + ".ndjson";
    }

    /** Whether the manifest may name this file: the account, the key, a collection, or a photo by its guid. */
    public static boolean isFile(String name) {
        return name.equals(ACCOUNT)
                || name.equals(KEY)
                || COLLECTIONS.stream().anyMatch(c -> fileOf(c).equals(name))
                || name.startsWith(PHOTOS + "/") && Guids.isValid(name.substring(PHOTOS.length() + 1));
    }

    /** The largest a file of the folder may be, in bytes; a photo as large as the pod takes one. */
    public static long capOf(String name, long maxPhotoBytes) {
        if (name.startsWith(PHOTOS + "/")) {
            return maxPhotoBytes;
        }
        return name.endsWith(".ndjson") ? MAX_COLLECTION_BYTES : MAX_DOCUMENT_BYTES;
    }

    /**
     * A file of the folder named by a relative path such as {@code photos/<guid>}; empty for a path that is absolute,
     * climbs out ({@code ..}) or names anything but a plain name below {@code folder}.
     */
    public static Optional<Path> within(Path folder, String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
            return Optional.empty();
        }
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\0")) {
                return Optional.empty();
            }
        }
        Path root = folder.toAbsolutePath().normalize();
        Path resolved = root.resolve(relative).normalize();
        return resolved.startsWith(root) && !resolved.equals(root) ? Optional.of(resolved) : Optional.empty();
    }
}
