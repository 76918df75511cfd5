package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of posts embeds at most 100 comments and likes of each; a post with more gets the rest from its own pages,
 * so every post in the backup carries all of them (as the folder format wants), counted as all there are.
 */
final class PostCompletion {

    private PostCompletion() {}

    static List<JsonNode> complete(PodApi api, ArrayNode posts, long snapshot) {
        List<JsonNode> complete = new ArrayList<>(posts.size());
        for (JsonNode node : posts) {
            if (!(node instanceof ObjectNode post)) {
                throw new BackupFailure(BackupFailure.Kind.FAILED, "A page of posts holds something not a post");
            }
            String guid = BackupJson.text(post, "guid");
            if (!FolderLayout.isGuid(guid)) {
                throw new BackupFailure(
                        BackupFailure.Kind.FAILED,
                        "The pod served a post whose guid is not one: " + Words.cut(guid, 70));
            }
            fill(api, post, guid, "comments", "commentCount", snapshot);
            fill(api, post, guid, "likes", "likeCount", snapshot);
            complete.add(post);
        }
        return complete;
    }

    private static void fill(PodApi api, ObjectNode post, String guid, String kind, String countField, long snapshot) {
        JsonNode embedded = post.get(kind);
        long count = post.path(countField).asLong(0);
        if (embedded instanceof ArrayNode items && items.size() >= count) {
            return;
        }
        ArrayNode all = post.putArray(kind);
        URI page = api.resolve("/migration/v1/posts/" + guid + "/" + kind + "?limit=1000&snapshot=" + snapshot);
        while (page != null) {
            JsonNode answer = api.json(page);
            AccountCheck.format(answer, page);
            if (!(answer.get("items") instanceof ArrayNode items)) {
                throw new BackupFailure(BackupFailure.Kind.FAILED, "A page of a post's " + kind + " holds no items");
            }
            String next = BackupJson.text(answer, "next");
            PageBounds.check("post's " + kind, items.size(), next, page, all.size(), count);
            all.addAll(items);
            page = next == null ? null : URI.create(next);
        }
        post.put(countField, all.size());
    }
}
