package org.transplant.migration.importer;

import io.vertx.core.json.JsonArray;

/**
 * A page of one collection as a source read it: its items, raw and unchecked, and the source's own cursor of the
 * page after it (null on the last page). The runner never looks inside a cursor: it only hands it back to the source
 * it came from, and checks that it moves on.
 */
record SourcePage(JsonArray items, String nextCursor) {}
