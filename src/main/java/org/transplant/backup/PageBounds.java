package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * Pagination a pod cannot make endless: a page that holds nothing yet points further, a page that points at
 * itself, or more records of a counted collection than the account document counted at the snapshot (a delta is
 * part of it) stop the pull with the reason, instead of filling the disk.
 */
final class PageBounds {

    /** Collections the account document does not count; a backup still never takes more than this of one. */
    private static final long UNCOUNTED_MAX = 10_000_000;

    private PageBounds() {}

    static void check(String collection, int size, String next, URI page, long before, JsonNode account) {
        JsonNode counted = account.path("counts").get(collection);
        check(
                collection,
                size,
                next,
                page,
                before,
                counted != null && counted.canConvertToLong() ? counted.asLong() : UNCOUNTED_MAX);
    }

    /** As above, for pages of which at most {@code max} records are due (a post's comments, its likes). */
    static void check(String collection, int size, String next, URI page, long before, long max) {
        if (next != null && (size == 0 || URI.create(next).equals(page))) {
            throw refused(collection, "a page that holds nothing new points to another");
        }
        if (before + size > max) {
            throw refused(
                    collection, (before + size) + " records arrived where the pod counted " + max + " at the snapshot");
        }
    }

    private static BackupFailure refused(String collection, String why) {
        return new BackupFailure(
                BackupFailure.Kind.FAILED,
                "The pod's " + collection + " do not add up (" + why + "); the pull stopped. What is backed up is"
                        + " kept.");
    }
}
