package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One post as a reader of the backup sees it: when, to whom, the text, its photos, then its likes and comments, with
 * those the pod deleted after the backup kept them marked as such.
 */
final class ViewerPost {

    /** A comment or like, with when the pod deleted it if it did. */
    private record Interaction(JsonNode record, String deletedAt) {

        long time() {
            return ViewerHtml.sortableTime(ViewerHtml.field(record, "createdAt"));
        }
    }

    private final ViewerPhotos photos;

    ViewerPost(ViewerPhotos photos) {
        this.photos = photos;
    }

    /**
     * @param deletedAt when the pod deleted the post, or null while it is there
     * @param deletions lines of {@code deleted.ndjson} for this post's comments and likes
     */
    void write(ViewerHtml html, JsonNode post, String deletedAt, List<JsonNode> deletions) throws IOException {
        html.markup(deletedAt != null ? "<article class=\"post deleted\">\n" : "<article class=\"post\">\n");
        html.element(
                "p", "meta", ViewerHtml.readableTime(ViewerHtml.field(post, "createdAt")) + " · " + audience(post));
        if (deletedAt != null) {
            html.element("p", "deleted-mark", deletedOn(deletedAt));
        }
        html.element("div", "text", ViewerHtml.field(post, "text"));
        for (JsonNode photo : post.path("photos")) {
            photos.write(html, photo.isTextual() ? photo.asText() : photo.toString());
        }
        writeLikes(html, interactions(post.path("likes"), "likes", deletions));
        writeComments(html, interactions(post.path("comments"), "comments", deletions));
        html.markup("</article>\n");
    }

    private static String audience(JsonNode post) {
        String rootGuid = ViewerHtml.field(post, "rootGuid");
        String reshare = rootGuid != null ? " · reshare of " + rootGuid : "";
        if (post.path("public").asBoolean(false)) {
            return "Public" + reshare;
        }
        List<String> aspects = new ArrayList<>();
        for (JsonNode aspect : post.path("aspects")) {
            if (aspect.isTextual()) {
                aspects.add(aspect.asText());
            }
        }
        return (aspects.isEmpty() ? "Limited" : "Limited to " + String.join(", ", aspects)) + reshare;
    }

    /** The present ones, then the deleted ones not present again, oldest first. */
    private static List<Interaction> interactions(JsonNode present, String collection, List<JsonNode> deletions) {
        List<Interaction> all = new ArrayList<>();
        Set<String> guids = new HashSet<>();
        for (JsonNode record : present) {
            if (record.isObject()) {
                guids.add(String.valueOf(ViewerHtml.field(record, "guid")));
                all.add(new Interaction(record, null));
            }
        }
        for (JsonNode deletion : deletions) {
            JsonNode record = deletion.path("item");
            if (collection.equals(ViewerHtml.field(deletion, "collection"))
                    && record.isObject()
                    && guids.add(String.valueOf(ViewerHtml.field(record, "guid")))) {
                all.add(new Interaction(record, deletedAt(deletion)));
            }
        }
        all.sort(Comparator.comparingLong(Interaction::time));
        return all;
    }

    private static void writeLikes(ViewerHtml html, List<Interaction> likes) throws IOException {
        List<String> liked = new ArrayList<>();
        List<String> disliked = new ArrayList<>();
        List<Interaction> deleted = new ArrayList<>();
        for (Interaction like : likes) {
            if (like.deletedAt() != null) {
                deleted.add(like);
            } else if (like.record().path("positive").asBoolean(true)) {
                liked.add(author(like.record()));
            } else {
                disliked.add(author(like.record()));
            }
        }
        if (!liked.isEmpty()) {
            html.element("p", "meta likes", counted(liked.size(), "like") + ": " + String.join(", ", liked));
        }
        if (!disliked.isEmpty()) {
            html.element(
                    "p", "meta dislikes", counted(disliked.size(), "dislike") + ": " + String.join(", ", disliked));
        }
        for (Interaction like : deleted) {
            boolean positive = like.record().path("positive").asBoolean(true);
            html.element(
                    "p",
                    "meta deleted",
                    (positive ? "Like" : "Dislike") + " by " + author(like.record()) + ", "
                            + deletedOn(like.deletedAt()));
        }
    }

    private static void writeComments(ViewerHtml html, List<Interaction> comments) throws IOException {
        if (comments.isEmpty()) {
            return;
        }
        html.markup("<ul class=\"comments\">\n");
        for (Interaction comment : comments) {
            JsonNode record = comment.record();
            html.markup(comment.deletedAt() != null ? "<li class=\"comment deleted\">" : "<li class=\"comment\">");
            String when = ViewerHtml.readableTime(ViewerHtml.field(record, "createdAt"));
            html.element("p", "meta", author(record) + " · " + when);
            if (comment.deletedAt() != null) {
                html.element("p", "deleted-mark", deletedOn(comment.deletedAt()));
            }
            html.element("div", "text", ViewerHtml.field(record, "text"));
            html.markup("</li>\n");
        }
        html.markup("</ul>\n");
    }

    /** When a line of {@code deleted.ndjson} says the pod deleted its item; never null, as null means not deleted. */
    static String deletedAt(JsonNode deletion) {
        String deletedAt = ViewerHtml.field(deletion, "deletedAt");
        return deletedAt != null ? deletedAt : "an unknown date";
    }

    private static String deletedOn(String deletedAt) {
        return "deleted on the pod on " + ViewerHtml.readableTime(deletedAt);
    }

    private static String author(JsonNode record) {
        String author = ViewerHtml.field(record, "author");
        return author != null ? author : "someone";
    }

    private static String counted(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
