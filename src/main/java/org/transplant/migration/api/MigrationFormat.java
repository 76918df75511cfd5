package org.transplant.migration.api;

/**
 * The Migration API's format. Every response names its version; a newer pod reads older versions. The contract is
 * {@code openapi/migration-v1.yaml}.
 */
public final class MigrationFormat {

    public static final String VERSION = "1";
    public static final String NDJSON = "application/x-ndjson";
    /** Every Migration API response carries the format version in this header too. */
    public static final String VERSION_HEADER = "Migration-Format-Version";

    private MigrationFormat() {}
}
