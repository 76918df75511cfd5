package org.transplant.migration.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;

/**
 * Hand-written JSON for the records an export writes by the hundred thousand (posts, comments, likes): the same
 * fields and order as the records' default serialization, without reflection per field.
 */
final class ExportRecordWriters {

    private static final SerializedString ASPECTS = new SerializedString("aspects");
    private static final SerializedString AUTHOR = new SerializedString("author");
    private static final SerializedString COMMENT_COUNT = new SerializedString("commentCount");
    private static final SerializedString COMMENTS = new SerializedString("comments");
    private static final SerializedString CREATED_AT = new SerializedString("createdAt");
    private static final SerializedString GUID = new SerializedString("guid");
    private static final SerializedString LIKE_COUNT = new SerializedString("likeCount");
    private static final SerializedString LIKES = new SerializedString("likes");
    private static final SerializedString PHOTOS = new SerializedString("photos");
    private static final SerializedString POSITIVE = new SerializedString("positive");
    private static final SerializedString POST_GUID = new SerializedString("postGuid");
    private static final SerializedString PUBLIC = new SerializedString("public");
    private static final SerializedString ROOT_GUID = new SerializedString("rootGuid");
    private static final SerializedString TEXT = new SerializedString("text");

    private ExportRecordWriters() {}

    static final class PostWriter extends JsonSerializer<PostRecord> {
        @Override
        public void serialize(PostRecord post, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeFieldName(GUID);
            out.writeString(post.guid());
            if (post.text() != null) {
                out.writeFieldName(TEXT);
                out.writeString(post.text());
            }
            out.writeFieldName(PUBLIC);
            out.writeBoolean(post.isPublic());
            strings(out, ASPECTS, post.aspects());
            if (post.rootGuid() != null) {
                out.writeFieldName(ROOT_GUID);
                out.writeString(post.rootGuid());
            }
            time(out, CREATED_AT, post.createdAt());
            strings(out, PHOTOS, post.photos());
            out.writeFieldName(COMMENT_COUNT);
            out.writeNumber(post.commentCount());
            out.writeFieldName(LIKE_COUNT);
            out.writeNumber(post.likeCount());
            if (post.comments() != null) {
                out.writeFieldName(COMMENTS);
                out.writeStartArray();
                for (CommentRecord comment : post.comments()) {
                    COMMENT.serialize(comment, out, provider);
                }
                out.writeEndArray();
            }
            if (post.likes() != null) {
                out.writeFieldName(LIKES);
                out.writeStartArray();
                for (LikeRecord like : post.likes()) {
                    LIKE.serialize(like, out, provider);
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        }
    }

    static final class CommentWriter extends JsonSerializer<CommentRecord> {
        @Override
        public void serialize(CommentRecord comment, JsonGenerator out, SerializerProvider provider)
                throws IOException {
            out.writeStartObject();
            out.writeFieldName(GUID);
            out.writeString(comment.guid());
            out.writeFieldName(POST_GUID);
            out.writeString(comment.postGuid());
            out.writeFieldName(AUTHOR);
            out.writeString(comment.author());
            out.writeFieldName(TEXT);
            out.writeString(comment.text());
            time(out, CREATED_AT, comment.createdAt());
            out.writeEndObject();
        }
    }

    static final class LikeWriter extends JsonSerializer<LikeRecord> {
        @Override
        public void serialize(LikeRecord like, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeFieldName(GUID);
            out.writeString(like.guid());
            out.writeFieldName(POST_GUID);
            out.writeString(like.postGuid());
            out.writeFieldName(AUTHOR);
            out.writeString(like.author());
            out.writeFieldName(POSITIVE);
            out.writeBoolean(like.positive());
            time(out, CREATED_AT, like.createdAt());
            out.writeEndObject();
        }
    }

    private static final CommentWriter COMMENT = new CommentWriter();
    private static final LikeWriter LIKE = new LikeWriter();

    private static void strings(JsonGenerator out, SerializedString name, List<String> values) throws IOException {
        if (values == null) {
            return;
        }
        out.writeFieldName(name);
        out.writeStartArray();
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }

    private static void time(JsonGenerator out, SerializedString name, Instant value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
            return;
        }
        char[] text = new char[40];
        out.writeString(text, 0, InstantText.write(value, text));
    }
}
