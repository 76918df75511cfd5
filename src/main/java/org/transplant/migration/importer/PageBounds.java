package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.transplant.migration.importer.OldPodApi.CallFailed;

/**
 * How much an old pod (or any source) may send: no more items on a page than were asked for, a next page that moves
 * forward (for the Migration API, on the same collection of the same pod), no more items in all than the totals it
 * announced can explain, and no more records (and photo bytes, see {@link PhotoCopier}) than this pod takes per
 * import. A page beyond these bounds ends the job with a reason the person can read; nothing of it is written.
 */
final class PageBounds {

    private PageBounds() {}

    /** An answer that must be a JSON object; anything else (an array, not JSON, nothing) ends the job. */
    static Uni<JsonObject> object(String query, Uni<JsonObject> answered) {
        String what = query.replaceAll("\\?.*", "");
        return answered.onFailure(e -> e instanceof DecodeException || e instanceof ClassCastException)
                .transform(e -> refused("The old pod's answer to " + what + " is not a JSON object"))
                .invoke(answer -> {
                    if (answer == null) {
                        throw refused("The old pod's answer to " + what + " is empty");
                    }
                });
    }

    /** A Migration API page's items; a page of another shape ends the job. */
    static JsonArray items(JsonObject page, String what) {
        if (page == null || !(page.getValue("items") instanceof JsonArray items)) {
            throw refused("The old pod sent a page of " + what + " without a list of items");
        }
        return items;
    }

    /**
     * The cursor in a Migration API page's {@code next}, or null on the last page. A {@code next} must be a URL of
     * the same collection on the old pod ({@code collectionUrl}) with a cursor: anything else would read other places.
     */
    static String cursorOfNext(JsonObject page, String collectionUrl, String what) {
        Object next = page.getValue("next");
        if (next == null) {
            return null;
        }
        if (!(next instanceof String url) || !url.startsWith(collectionUrl + "?")) {
            throw refused("The old pod's next page of " + what + " is not on " + collectionUrl);
        }
        String cursor = cursorOf(url);
        if (cursor == null) {
            throw notForward(what);
        }
        return cursor;
    }

    /**
     * A page from any source, checked before anything of it is read further: no more items than were asked for, and
     * a next page (if any) after a cursor other than this page's, following a page that held something. Anything
     * else would read the same pages without end.
     */
    static SourcePage checked(SourcePage page, String cursor, int limit, String what) {
        if (page == null || page.items() == null) {
            throw refused("The old pod sent a page of " + what + " without a list of items");
        }
        if (page.items().size() > limit) {
            throw refused("The old pod sent " + page.items().size() + " " + what + " on one page, more than the "
                    + limit + " this pod asked for");
        }
        if (page.nextCursor() != null
                && (page.nextCursor().equals(cursor) || page.items().isEmpty())) {
            throw notForward(what);
        }
        return page;
    }

    private static CallFailed notForward(String what) {
        return refused("The old pod's pages of " + what + " do not move forward (the next page is the same"
                + " one again, or follows an empty page)");
    }

    /**
     * Fails when the items read so far cannot be explained by the announced total: twice the total and two pages
     * more leaves room for what the person adds on the old pod while the copy runs.
     */
    static void withinTotal(long readBefore, int onPage, long announced, int pageSize, String what) {
        long allowed = 2 * announced + 2L * pageSize;
        if (readBefore + onPage > allowed) {
            throw refused("The old pod keeps sending " + what + ": " + (readBefore + onPage) + " so far, though it"
                    + " announced " + announced);
        }
    }

    /**
     * Whatever the old pod announces, one page of posts holds at most {@code max} comments and likes in memory
     * (what the posts' own collections add while the page waits to be written).
     */
    static void withinPageMemory(long held, int more, long max) {
        if (held + more > max) {
            throw refused("The old pod sent more than " + max + " comments and likes for one page of posts, more"
                    + " than this pod takes at once");
        }
    }

    /**
     * Fails when a page would take the records an import writes past this pod's quota: the totals an old pod
     * announces bound what it sends only relative to themselves, and it may announce any.
     */
    static void withinImport(long writtenBefore, long onPage, long max) {
        if (writtenBefore + onPage > max) {
            throw refused("This import would have written " + (writtenBefore + onPage) + " records, more than this"
                    + " pod allows per import (" + max + ")");
        }
    }

    /** A byte count as a person reads it: 512 bytes, 3.4 MiB, 4.0 GiB. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static CallFailed refused(String reason) {
        return new CallFailed(0, reason, 0, false);
    }

    private static String cursorOf(String url) {
        String query = url.substring(url.indexOf('?') + 1);
        for (String pair : query.split("&")) {
            if (pair.startsWith("cursor=") && pair.length() > "cursor=".length()) {
                try {
                    return URLDecoder.decode(pair.substring("cursor=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
