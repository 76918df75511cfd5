package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.ExportRecords.ProfileRecord;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.migration.importer.OldPodApi.CallFailed;

/** The validation step over a page from an old pod, and the bounds of its paging, without a pod. */
class RecordCheckTest {

    private static final RecordCheck.Mover MOVER =
            new RecordCheck.Mover("ann@old.example", "ann@here.example", "here.example");

    @Test
    void aRecordOfTheWrongTypeOrShapeIsLeftOutWithItsReasonAndTheRestIsKept() {
        JsonArray items = new JsonArray()
                .add(post("aaaaaaaaaaaaaaaa01"))
                .add(post("aaaaaaaaaaaaaaaa02").put("text", 42))
                .add(post("aaaaaaaaaaaaaaaa03").put("createdAt", "2999-01-01T00:00:00Z"))
                .add(post("short"))
                .add(post("aaaaaaaaaaaaaaaa05").put("public", "yes"))
                .add(post("aaaaaaaaaaaaaaaa06").put("text", "x".repeat(RecordCheck.MAX_TEXT + 1)))
                .add(post("aaaaaaaaaaaaaaaa07").put("aspects", new JsonArray().add(7)))
                .add(7)
                .add(post("aaaaaaaaaaaaaaaa01"));
        Checked<RecordCheck.PendingPost> checked = RecordCheck.posts(items, MOVER);
        assertThat(checked.records()).hasSize(1);
        assertThat(checked.leftOut())
                .extracting(LeftOut::key, LeftOut::reason)
                .containsExactly(
                        Tuple.tuple("aaaaaaaaaaaaaaaa02", "text must be a text"),
                        Tuple.tuple("aaaaaaaaaaaaaaaa03", "createdAt is not a believable time (2999-01-01T00:00:00Z)"),
                        Tuple.tuple("short", "guid is not a guid (16 to 64 letters, digits, - or _)"),
                        Tuple.tuple("aaaaaaaaaaaaaaaa05", "public must be true or false"),
                        Tuple.tuple("aaaaaaaaaaaaaaaa06", "text must have at most 65535 characters"),
                        Tuple.tuple("aaaaaaaaaaaaaaaa07", "aspects must hold texts of 1 to 64 characters"),
                        Tuple.tuple("posts[7]", "is not a JSON object"),
                        Tuple.tuple("aaaaaaaaaaaaaaaa01", "appears twice on one page"));
    }

    @Test
    void commentsOfPeopleOfThisPodOtherThanTheMoverAreLeftOutAndTheMoversOwnAreKept() {
        JsonObject post = post("bbbbbbbbbbbbbbbb01")
                .put(
                        "comments",
                        new JsonArray()
                                .add(comment("cccccccccccccccc01", "bob@here.example"))
                                .add(comment("cccccccccccccccc02", "ANN@old.example"))
                                .add(comment("cccccccccccccccc03", "friend@far.example"))
                                .add(comment("cccccccccccccccc04", "ann@here.example"))
                                .add(comment("cccccccccccccccc05", "not a handle")));
        Checked<PostRecord> checked = RecordCheck.interactions(
                RecordCheck.posts(new JsonArray().add(post), MOVER).records(), MOVER);
        List<LeftOut> leftOut = checked.leftOut();
        assertThat(leftOut).extracting(LeftOut::key).containsExactly("cccccccccccccccc01", "cccccccccccccccc05");
        assertThat(leftOut.get(0).reason()).contains("bob@here.example", "account of this pod");
        // Handles come out lower case, each comment names its post, and the mover's old handle is theirs still.
        assertThat(checked.records().get(0).comments())
                .extracting(CommentRecord::author, CommentRecord::postGuid)
                .containsExactly(
                        Tuple.tuple("ann@old.example", "bbbbbbbbbbbbbbbb01"),
                        Tuple.tuple("friend@far.example", "bbbbbbbbbbbbbbbb01"),
                        Tuple.tuple("ann@here.example", "bbbbbbbbbbbbbbbb01"));
    }

    /** This pod keeps one like per person on a post: a second is reported, not dropped unsaid by the database. */
    @Test
    void aSecondLikeByOnePersonOnOnePostIsLeftOutAndReported() {
        JsonObject post = post("bbbbbbbbbbbbbbbb02")
                .put(
                        "likes",
                        new JsonArray()
                                .add(like("llllllllllllllll01", "friend@far.example"))
                                .add(like("llllllllllllllll02", "Friend@far.example"))
                                .add(like("llllllllllllllll03", "ann@old.example"))
                                .add(like("llllllllllllllll04", "ann@here.example"))
                                .add(like("llllllllllllllll05", "other@far.example")));
        JsonObject another = post("bbbbbbbbbbbbbbbb03")
                .put("likes", new JsonArray().add(like("llllllllllllllll06", "friend@far.example")));
        Checked<PostRecord> checked = RecordCheck.interactions(
                RecordCheck.posts(new JsonArray().add(post).add(another), MOVER).records(), MOVER);
        // The mover's old and new handles are one person here.
        assertThat(checked.leftOut())
                .extracting(LeftOut::collection, LeftOut::key, LeftOut::reason)
                .containsExactly(
                        Tuple.tuple(
                                "likes", "llllllllllllllll02", "is a second like by friend@far.example on one post"),
                        Tuple.tuple("likes", "llllllllllllllll04", "is a second like by ann@here.example on one post"));
        assertThat(checked.records().get(0).likes())
                .extracting(LikeRecord::guid)
                .containsExactly("llllllllllllllll01", "llllllllllllllll03", "llllllllllllllll05");
        assertThat(checked.records().get(1).likes())
                .extracting(LikeRecord::guid)
                .containsExactly("llllllllllllllll06");
    }

    @Test
    void aConversationOrMessageWrittenAsSomeoneOfThisPodIsLeftOut() {
        JsonArray items = new JsonArray()
                .add(conversation("dddddddddddddddd01", "bob@here.example"))
                .add(conversation("dddddddddddddddd02", "ann@old.example")
                        .put(
                                "messages",
                                new JsonArray()
                                        .add(message("eeeeeeeeeeeeeeee01", "carol@here.example"))
                                        .add(message("eeeeeeeeeeeeeeee02", "ann@old.example"))));
        Checked<ConversationRecord> checked = RecordCheck.conversations(items, MOVER);
        assertThat(checked.leftOut())
                .extracting(LeftOut::collection, LeftOut::key)
                .containsExactly(
                        Tuple.tuple("conversations", "dddddddddddddddd01"),
                        Tuple.tuple("messages", "eeeeeeeeeeeeeeee01"));
        assertThat(checked.records().get(0).messages())
                .extracting(MessageRecord::guid, MessageRecord::conversationGuid)
                .containsExactly(Tuple.tuple("eeeeeeeeeeeeeeee02", "dddddddddddddddd02"));
    }

    @Test
    void aBadProfileFieldIsDroppedAndReportedAndTheRestStays() {
        JsonObject account = new JsonObject()
                .put("handle", "ann@old.example")
                .put("snapshot", 3)
                .put(
                        "profile",
                        new JsonObject()
                                .put("firstName", "Ann")
                                .put("lastName", "x".repeat(33))
                                .put("avatarUrl", "javascript:alert(1)")
                                .put("birthday", "3000-01-01")
                                .put("nsfw", "no"))
                .put("settings", new JsonObject().put("defaultPostVisibility", "everyone"))
                .put("aspects", new JsonArray().add("Friends").add(3));
        AccountDocument.Sanitized checked = AccountDocument.check(account, "ann@old.example");
        assertThat(checked.leftOut())
                .extracting(LeftOut::key)
                .containsExactlyInAnyOrder(
                        "lastName", "avatarUrl", "birthday", "nsfw", "defaultPostVisibility", "aspects[1]");
        ProfileRecord profile = checked.account().profile();
        assertThat(profile.firstName()).isEqualTo("Ann");
        assertThat(profile.lastName()).isNull();
        assertThat(profile.avatarUrl()).isNull();
        assertThat(profile.birthday()).isNull();
        // A field left out is what this pod takes when a document does not say.
        assertThat(profile.nsfw()).isFalse();
        assertThat(profile.searchable()).isTrue();
        assertThat(checked.account().settings().defaultPostVisibility()).isEqualTo("public");
        assertThat(checked.account().aspects()).containsExactly("Friends");
        assertThat(checked.account().snapshot()).isEqualTo(3);
    }

    @Test
    void anAccountDocumentOfAnotherAccountIsRefused() {
        JsonObject account = new JsonObject().put("handle", "mal@old.example").put("snapshot", 3);
        assertThatThrownBy(() -> AccountDocument.requireIdentity(account, "ann@old.example"))
                .isInstanceOf(CallFailed.class)
                .hasMessageContaining("ann@old.example")
                .hasMessageContaining("mal@old.example");
        AccountDocument.requireIdentity(account.put("handle", "ANN@old.example"), "ann@old.example");
        assertThatThrownBy(() -> AccountDocument.requireIdentity(account.put("handle", 5), "ann@old.example"))
                .isInstanceOf(CallFailed.class);
    }

    @Test
    void aNextPageMustBeOnTheSameCollectionOfTheSamePod() {
        String posts = "https://old.example/migration/v1/posts";
        assertThat(PageBounds.cursorOfNext(
                        new JsonObject().put("next", posts + "?limit=10&cursor=b%3D"), posts, "posts"))
                .isEqualTo("b=");
        assertThat(PageBounds.cursorOfNext(new JsonObject(), posts, "posts")).isNull();
        for (JsonObject page : new JsonObject[] {
            new JsonObject().put("next", posts + "?limit=10"),
            new JsonObject().put("next", "https://elsewhere.example/migration/v1/posts?cursor=b"),
            new JsonObject().put("next", "https://old.example/migration/v1/contacts?cursor=b"),
            new JsonObject().put("next", posts + "-and-more?cursor=b"),
            new JsonObject().put("next", 12)
        }) {
            assertThatThrownBy(() -> PageBounds.cursorOfNext(page, posts, "posts"))
                    .as(page.encode())
                    .isInstanceOf(CallFailed.class);
        }
    }

    @Test
    void aPageOfAnySourceMustMoveForward() {
        JsonArray two = new JsonArray().add(1).add(2);
        assertThat(PageBounds.checked(new SourcePage(two, "b"), "a", 10, "posts")
                        .nextCursor())
                .isEqualTo("b");
        assertThat(PageBounds.checked(new SourcePage(two, null), "a", 10, "posts")
                        .nextCursor())
                .isNull();
        // The same page again, and an empty page that says more follow.
        for (SourcePage page : new SourcePage[] {new SourcePage(two, "a"), new SourcePage(new JsonArray(), "b")}) {
            assertThatThrownBy(() -> PageBounds.checked(page, "a", 10, "posts"))
                    .as(page.toString())
                    .isInstanceOf(CallFailed.class)
                    .hasMessageContaining("do not move forward");
        }
    }

    @Test
    void aPageBeyondItsBoundsEndsTheJob() {
        JsonArray three = new JsonArray().add(1).add(2).add(3);
        assertThat(PageBounds.checked(new SourcePage(three, null), null, 3, "posts")
                        .items())
                .hasSize(3);
        assertThatThrownBy(() -> PageBounds.checked(new SourcePage(three, null), null, 2, "posts"))
                .isInstanceOf(CallFailed.class)
                .hasMessageContaining("3 posts on one page, more than the 2");
        assertThatThrownBy(() -> PageBounds.items(new JsonObject().put("items", "x"), "posts"))
                .isInstanceOf(CallFailed.class);
        PageBounds.withinTotal(190, 10, 50, 50, "posts");
        assertThatThrownBy(() -> PageBounds.withinTotal(200, 10, 50, 50, "posts"))
                .isInstanceOf(CallFailed.class)
                .hasMessageContaining("210 so far, though it announced 50");
        PageBounds.withinPageMemory(99_000, 1000, 100_000);
        assertThatThrownBy(() -> PageBounds.withinPageMemory(99_001, 1000, 100_000))
                .isInstanceOf(CallFailed.class)
                .hasMessageContaining("more than 100000 comments and likes");
    }

    private static JsonObject post(String guid) {
        return new JsonObject()
                .put("guid", guid)
                .put("text", "hello")
                .put("public", true)
                .put("createdAt", "2025-01-01T10:00:00Z")
                .put("aspects", new JsonArray())
                .put("comments", new JsonArray())
                .put("likes", new JsonArray());
    }

    private static JsonObject comment(String guid, String author) {
        return new JsonObject()
                .put("guid", guid)
                .put("author", author)
                .put("text", "nice")
                .put("createdAt", "2025-01-01T10:01:00Z");
    }

    private static JsonObject like(String guid, String author) {
        return new JsonObject().put("guid", guid).put("author", author).put("createdAt", "2025-01-01T10:02:00Z");
    }

    private static JsonObject conversation(String guid, String author) {
        return new JsonObject()
                .put("guid", guid)
                .put("subject", "hi")
                .put("author", author)
                .put("createdAt", "2025-01-02T00:00:00Z")
                .put("participants", new JsonArray().add(author))
                .put("messages", new JsonArray());
    }

    private static JsonObject message(String guid, String author) {
        return new JsonObject()
                .put("guid", guid)
                .put("author", author)
                .put("text", "hello there")
                .put("createdAt", "2025-01-02T00:01:00Z");
    }
}
