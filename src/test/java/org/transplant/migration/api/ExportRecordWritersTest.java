package org.transplant.migration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;

class ExportRecordWritersTest {

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void aPostWithEverythingInTheRecordsFieldOrder() throws Exception {
        Instant at = Instant.parse("2026-11-23T10:15:30.123456Z");
        PostRecord post = new PostRecord(
                "g1",
                "Hello \"world\"\n",
                true,
                List.of("Family"),
                "root",
                at,
                List.of("ph1", "ph2"),
                4,
                2,
                List.of(new CommentRecord("c1", "g1", "bob@b.example", "Nice", at)),
                List.of(new LikeRecord("l1", "g1", "eve@c.example", false, Instant.parse("2026-01-01T00:00:00Z"))));

        assertThat(json.writeValueAsString(post))
                .isEqualTo("{\"guid\":\"g1\",\"text\":\"Hello \\\"world\\\"\\n\","
                        + "\"public\":true,\"aspects\":[\"Family\"],\"rootGuid\":\"root\","
                        + "\"createdAt\":\"2026-11-23T10:15:30.123456Z\",\"photos\":[\"ph1\",\"ph2\"],\"commentCount\":4,"
                        + "\"likeCount\":2,\"comments\":[{\"guid\":\"c1\",\"postGuid\":\"g1\",\"author\":\"bob@b.example\","
                        + "\"text\":\"Nice\",\"createdAt\":\"2026-11-23T10:15:30.123456Z\"}],\"likes\":[{\"guid\":\"l1\","
                        + "\"postGuid\":\"g1\",\"author\":\"eve@c.example\",\"positive\":false,"
                        + "\"createdAt\":\"2026-01-01T00:00:00Z\"}]}");
    }

    @Test
    void absentTextAndRootAreLeftOutAndTheRecordReadsBack() throws Exception {
        PostRecord post = new PostRecord(
                "g2",
                null,
                false,
                List.of(),
                null,
                Instant.parse("2026-11-23T10:15:30Z"),
                List.of(),
                0,
                0,
                List.of(),
                List.of());

        JsonNode tree = json.readTree(json.writeValueAsString(post));

        assertThat(tree.has("text")).isFalse();
        assertThat(tree.has("rootGuid")).isFalse();
        assertThat(json.treeToValue(tree, PostRecord.class)).isEqualTo(post);
    }
}
