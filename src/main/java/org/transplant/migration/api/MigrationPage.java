package org.transplant.migration.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a collection: the items in keyset order, the snapshot they are consistent with, and the link to the
 * next page (absent on the last one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationPage<T>(String formatVersion, String collection, long snapshot, List<T> items, String next) {}
