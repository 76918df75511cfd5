package org.transplant.migration.api;

import java.util.List;

/**
 * The Migration API's format, {@code major.minor}. Every response names its version; a newer pod reads older
 * versions. A minor version only adds (1.1: the messages collection, {@code messageCount} on a conversation, a
 * message's {@code conversationGuid}); an importer reads any minor of a major it knows and refuses another major.
 * The contract is {@code openapi/migration-v1.yaml}.
 */
public final class MigrationFormat {

    public static final String VERSION = "1.1";

    /** The major version this pod reads and writes. */
    public static final int MAJOR = 1;

    public static final String NDJSON = "application/x-ndjson";
    /** Every Migration API response carries the format version in this header too. */
    public static final String VERSION_HEADER = "Migration-Format-Version";

    /** The collections of an account, in the order an import writes them (a post's photos after the post). */
    public static final List<String> COLLECTIONS = List.of(
            "contacts",
            "posts",
            "photos",
            "conversations",
            "messages",
            "tag-followings",
            "notifications",
            "tombstones");

    /** What the account document counts, in its {@code counts}: the collections, and the posts' comments and likes. */
    public static final List<String> COUNTED = List.of(
            "posts",
            "comments",
            "likes",
            "photos",
            "contacts",
            "conversations",
            "messages",
            "tag-followings",
            "notifications");

    private MigrationFormat() {}
}
