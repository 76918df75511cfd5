package org.transplant.migration.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The wire records of Migration API v1, shared by the exporting and the importing pod. */
public final class ExportRecords {

    private ExportRecords() {}

    /** The account: who it is, its profile and settings, and how much each collection holds at the snapshot. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountRecord(
            String formatVersion,
            String handle,
            String guid,
            String publicKey,
            ProfileRecord profile,
            SettingsRecord settings,
            List<String> aspects,
            long snapshot,
            Instant snapshotAt,
            Map<String, Long> counts,
            Map<String, String> collections,
            List<String> scopes,
            String clientId,
            Instant spanFrom,
            Instant spanUntil,
            String moveNonce) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProfileRecord(
            String firstName,
            String lastName,
            String bio,
            String avatarUrl,
            String location,
            LocalDate birthday,
            String gender,
            List<String> tags,
            boolean searchable,
            boolean nsfw,
            boolean publicDetails) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SettingsRecord(
            String language,
            boolean disableMail,
            boolean showCommunitySpotlight,
            boolean autoFollowBack,
            String autoFollowBackAspect,
            String defaultPostVisibility) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonSerialize(using = ExportRecordWriters.PostWriter.class)
    public record PostRecord(
            String guid,
            String text,
            @JsonProperty("public") boolean isPublic,
            List<String> aspects,
            String rootGuid,
            Instant createdAt,
            List<String> photos,
            long commentCount,
            long likeCount,
            List<CommentRecord> comments,
            List<LikeRecord> likes) {

        /** The same post with all its comments and likes: these, counted as all there are. */
        public PostRecord withAll(List<CommentRecord> comments, List<LikeRecord> likes) {
            return new PostRecord(
                    guid,
                    text,
                    isPublic,
                    aspects,
                    rootGuid,
                    createdAt,
                    photos,
                    comments.size(),
                    likes.size(),
                    comments,
                    likes);
        }

        /** The same post with these comments and likes. */
        public PostRecord withInteractions(List<CommentRecord> comments, List<LikeRecord> likes) {
            return new PostRecord(
                    guid,
                    text,
                    isPublic,
                    aspects,
                    rootGuid,
                    createdAt,
                    photos,
                    commentCount,
                    likeCount,
                    comments,
                    likes);
        }
    }

    @JsonSerialize(using = ExportRecordWriters.CommentWriter.class)
    public record CommentRecord(String guid, String postGuid, String author, String text, Instant createdAt) {}

    @JsonSerialize(using = ExportRecordWriters.LikeWriter.class)
    public record LikeRecord(String guid, String postGuid, String author, boolean positive, Instant createdAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContactRecord(
            String handle,
            String personGuid,
            String displayName,
            String publicKey,
            boolean following,
            boolean follower,
            boolean blocked,
            List<String> aspects,
            Instant createdAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PhotoRecord(
            String guid,
            String postGuid,
            @JsonProperty("public") boolean isPublic,
            String contentType,
            long size,
            String sha256,
            int width,
            int height,
            String caption,
            Instant createdAt,
            String content) {}

    /** A message, in its conversation's embedded list or in the messages collection (which names the conversation). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageRecord(String guid, String conversationGuid, String author, String text, Instant createdAt) {}

    /**
     * A conversation with its oldest messages embedded (at most 200, for importers of format 1.0); {@code messageCount}
     * says how many it has, and the messages collection serves them all (format 1.1).
     */
    public record ConversationRecord(
            String guid,
            String subject,
            String author,
            List<String> participants,
            Instant createdAt,
            List<MessageRecord> messages,
            long messageCount) {}

    public record TagFollowingRecord(String tag, Instant createdAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NotificationRecord(String kind, String actor, String target, boolean unread, Instant createdAt) {}

    /** Something deleted: a delta carries it so the importing side deletes its copy too. */
    public record TombstoneRecord(String kind, String guid, long seq, Instant deletedAt) {}
}
