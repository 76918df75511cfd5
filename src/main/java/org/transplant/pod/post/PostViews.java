package org.transplant.pod.post;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/** The JSON and page shapes of posts and what hangs on them. */
public final class PostViews {

    private PostViews() {}

    /** A new post; {@code rootGuid} makes it a reshare of another public post (text then optional). */
    public record NewPost(
            String text,
            @JsonProperty("public") Boolean isPublic,
            List<String> aspects,
            List<String> photos,
            String rootGuid) {

        public NewPost(String text, Boolean isPublic, List<String> aspects, List<String> photos) {
            this(text, isPublic, aspects, photos, null);
        }
    }

    public record NewComment(String text) {}

    @TemplateData
    public record PhotoRef(String guid, String url, int width, int height) {}

    @TemplateData
    public record PostView(
            String guid,
            String author,
            String authorUrl,
            String text,
            @JsonProperty("public") boolean isPublic,
            List<String> aspects,
            String rootGuid,
            List<PhotoRef> photos,
            long comments,
            long likes,
            Instant createdAt,
            String url) {}

    @TemplateData
    public record CommentView(String guid, String author, String text, Instant createdAt) {}

    @TemplateData
    public record LikeView(String guid, String author, Instant createdAt) {}

    @TemplateData
    public record PostPage(List<PostView> items, String next) {}
}
