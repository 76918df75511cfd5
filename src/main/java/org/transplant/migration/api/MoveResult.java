package org.transplant.migration.api;

import java.time.Instant;

/** The old pod's answer to a finished move. */
public record MoveResult(String formatVersion, String oldHandle, String newHandle, Instant movedAt) {
}
