package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The posts, newest first, {@value #PAGE_SIZE} a page: {@code index.html}, then {@code posts-2.html} and on. A backup
 * may hold hundreds of megabytes of posts, so only where each post's line is stays in memory; a page reads its posts
 * again by offset. Posts the pod deleted after the backup kept them come from {@code deleted.ndjson}, marked.
 */
final class ViewerTimeline {

    static final int PAGE_SIZE = 200;

    private static final Comparator<Entry> NEWEST_FIRST =
            Comparator.comparingLong(Entry::time).reversed().thenComparing(Entry::guid);

    /** Where a post is: in posts.ndjson, or deleted and in deleted.ndjson. */
    private record Entry(String guid, long time, boolean deleted, ViewerLines.Ref ref) {}

    private final Path folder;
    private final List<Entry> entries;
    private final Map<String, List<ViewerLines.Ref>> deletedInteractions;

    private ViewerTimeline(Path folder, List<Entry> entries, Map<String, List<ViewerLines.Ref>> deletedInteractions) {
        this.folder = folder;
        this.entries = entries;
        this.deletedInteractions = deletedInteractions;
    }

    static ViewerTimeline index(Path folder) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Set<String> guids = new HashSet<>();
        ViewerLines.scanFields(
                posts(folder),
                (texts, ref) -> {
                    if (texts[0] != null && guids.add(texts[0])) {
                        entries.add(new Entry(texts[0], ViewerHtml.sortableTime(texts[1]), false, ref));
                    }
                },
                "guid",
                "createdAt");
        Map<String, List<ViewerLines.Ref>> deletedInteractions = new HashMap<>();
        ViewerLines.scan(deleted(folder), (deletion, ref) -> {
            JsonNode item = deletion.path("item");
            String collection = String.valueOf(ViewerHtml.field(deletion, "collection"));
            switch (collection) {
                case "posts" -> {
                    String guid = ViewerHtml.field(item, "guid");
                    // A post still in posts.ndjson is shown as it is now.
                    if (guid != null && guids.add(guid)) {
                        long time = ViewerHtml.sortableTime(ViewerHtml.field(item, "createdAt"));
                        entries.add(new Entry(guid, time, true, ref));
                    }
                }
                case "comments", "likes" -> {
                    String postGuid = ViewerHtml.field(item, "postGuid");
                    if (postGuid != null) {
                        deletedInteractions
                                .computeIfAbsent(postGuid, k -> new ArrayList<>())
                                .add(ref);
                    }
                }
                default -> {}
            }
        });
        entries.sort(NEWEST_FIRST);
        return new ViewerTimeline(folder, entries, deletedInteractions);
    }

    int postCount() {
        return entries.size();
    }

    int pageCount() {
        return Math.max(1, (entries.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    }

    static String pageName(int page) {
        return page == 1 ? "index.html" : "posts-" + page + ".html";
    }

    /** Writes every page, the first with {@code header} above its posts, and removes pages left from a longer run. */
    void writePages(ViewerHeader header, ViewerPhotos photos) throws IOException {
        try (ViewerLines.Reader posts = new ViewerLines.Reader(posts(folder));
                ViewerLines.Reader deleted = new ViewerLines.Reader(deleted(folder))) {
            ViewerPost post = new ViewerPost(photos);
            for (int page = 1; page <= pageCount(); page++) {
                List<Entry> onPage =
                        entries.subList((page - 1) * PAGE_SIZE, Math.min(entries.size(), page * PAGE_SIZE));
                int number = page;
                ViewerPage.write(folder.resolve(pageName(page)), header.title(), html -> {
                    if (number == 1) {
                        header.writeProfile(html, entries.size());
                    }
                    writePaging(html, number);
                    if (onPage.isEmpty()) {
                        html.element("p", "meta", "No posts in this backup.");
                    }
                    for (Entry entry : onPage) {
                        writeEntry(html, post, entry, posts, deleted);
                    }
                    writePaging(html, number);
                });
            }
        }
        for (int stale = pageCount() + 1; Files.deleteIfExists(folder.resolve(pageName(stale))); stale++) {}
    }

    private void writeEntry(
            ViewerHtml html, ViewerPost post, Entry entry, ViewerLines.Reader posts, ViewerLines.Reader deleted)
            throws IOException {
        JsonNode line = (entry.deleted() ? deleted : posts).read(entry.ref());
        if (line == null) {
            return;
        }
        List<JsonNode> deletions = new ArrayList<>();
        for (ViewerLines.Ref ref : deletedInteractions.getOrDefault(entry.guid(), List.of())) {
            JsonNode deletion = deleted.read(ref);
            if (deletion != null) {
                deletions.add(deletion);
            }
        }
        if (entry.deleted()) {
            post.write(html, line.path("item"), ViewerPost.deletedAt(line), deletions);
        } else {
            post.write(html, line, null, deletions);
        }
    }

    private void writePaging(ViewerHtml html, int page) throws IOException {
        if (pageCount() == 1) {
            return;
        }
        html.markup("<p class=\"paging\">");
        html.markup(page > 1 ? "<a href=\"" + pageName(page - 1) + "\">← Newer</a>" : "<span></span>");
        html.markup("<span>Page " + page + " of " + pageCount() + "</span>");
        html.markup(page < pageCount() ? "<a href=\"" + pageName(page + 1) + "\">Older →</a>" : "<span></span>");
        html.markup("</p>\n");
    }

    private static Path posts(Path folder) {
        return folder.resolve("posts.ndjson");
    }

    private static Path deleted(Path folder) {
        return folder.resolve("deleted.ndjson");
    }
}
