package org.transplant.migration.api;

import java.time.Instant;

/**
 * The old pod's answer to a finished move. {@code noticesUrl} reads how the delivery of the move notices to the
 * pods of the person's contacts stands (no token needed: the URL is the capability).
 */
public record MoveResult(
        String formatVersion, String oldHandle, String newHandle, Instant movedAt, String noticesUrl) {}
