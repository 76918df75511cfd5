package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Where an import reads from: one per job, chosen by {@link ImportSources}. Items stay raw JSON here, the v1 records
 * as the Migration API serves them; the runner checks and writes them the same way whatever their source. A cursor
 * is the source's own (a URL's parameter, a byte offset): the runner keeps it with the job and hands it back. A new
 * source is one class implementing this (pages of a collection after a cursor, photo bytes, its finish step) and one
 * line in {@link ImportSources}.
 */
public interface ImportSource {

    /** The account document ({@code /migration/v1/account}): format, handle, totals, profile, settings, aspects. */
    Uni<JsonObject> account(ImportJob job);

    /**
     * A page of a collection after {@code cursor} (null: the first page), at most {@code limit} items. A source
     * refuses what is not a page of the collection asked for ({@link PageBounds#refused}); the runner checks the
     * page's size and that its cursor moves on.
     */
    Uni<SourcePage> page(ImportJob job, String collection, String cursor, int limit);

    /**
     * A page of the comments or likes ({@code kind}) of a post, for a post that embeds fewer than it counts. A
     * source whose posts embed all of them never needs it.
     */
    Uni<SourcePage> interactions(ImportJob job, String postGuid, String kind, String cursor, int limit);

    /**
     * Appends a photo's bytes from offset {@code from} to the file {@code part}, never beyond {@code maxBytes}:
     * answers 206 (the rest), 200 (the whole, only when {@code from} is 0) or 416 (nothing left). A photo the
     * source does not have fails with a {@link OldPodApi.CallFailed} of status 404; one past the cap with
     * {@link org.transplant.outbound.OutboundRefused.TooLarge}.
     */
    Uni<Integer> appendPhoto(ImportJob job, String guid, String part, long from, long maxBytes);

    /** Where a photo left at the source is read from (photo mode LINK), or null when it cannot stay there. */
    String photoLink(String guid);

    /** The last step, once every collection is written: the move call for an old pod, nothing for files. */
    Uni<ImportJob> finish(ImportJob job, JobEnds ends);

    /** What a finish step may do to its job; the runner's own verbs, each only while it holds the job. */
    interface JobEnds {

        /** The source's account document, checked as the first step checked it. */
        Uni<AccountDocument.Sanitized> account(ImportJob job);

        /** Ends the job DONE (and tells the person); {@code noticesUrl} where the move notices' fate is read. */
        Uni<ImportJob> done(ImportJob job, String noticesUrl);

        /** Ends the job FAILED with words the person reads. */
        Uni<ImportJob> failed(ImportJob job, String why);

        /** Copies what changed at the source since the job's snapshot: the collections again from {@code account}. */
        Uni<ImportJob> copyChanges(ImportJob job, AccountDocument.Sanitized account, long snapshot);
    }
}
