package org.transplant.migration.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.transplant.web.ProblemException;

class ExportCursorTest {

    @Test
    void aCursorComesBackAsItWentOut() {
        ExportCursor cursor = new ExportCursor(
                "posts",
                42,
                Instant.parse("2026-01-02T03:04:05.123456Z"),
                Instant.parse("2025-05-06T07:08:09.000001Z"),
                "0123456789abcdef|with a bar");
        assertThat(ExportCursor.decode("posts", cursor.encode())).isEqualTo(cursor);
        ExportCursor named = new ExportCursor("posts", 7, null, Instant.parse("2025-05-06T07:08:09Z"), "k");
        assertThat(ExportCursor.decode("posts", named.encode())).isEqualTo(named);
    }

    @Test
    void aCursorOfAnotherCollectionOrATamperedOneIsABadRequest() {
        String posts = new ExportCursor("posts", 1, null, Instant.EPOCH, "g").encode();
        assertThatThrownBy(() -> ExportCursor.decode("contacts", posts))
                .isInstanceOf(ProblemException.class)
                .satisfies(e ->
                        assertThat(((ProblemException) e).problem().status()).isEqualTo(400));
        assertThatThrownBy(() -> ExportCursor.decode("posts", posts.substring(3)))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> ExportCursor.decode("posts", "!!!")).isInstanceOf(ProblemException.class);
    }

    @Test
    void theRateLimiterLetsABurstThroughThenAsksToWait() {
        long[] now = {0};
        ClientRateLimiter limiter = new ClientRateLimiter(2, 3, () -> now[0]);
        assertThat(limiter.acquire("a")).isNull();
        assertThat(limiter.acquire("a")).isNull();
        assertThat(limiter.acquire("a")).isNull();
        assertThat(limiter.acquire("a")).isNotNull().hasMillis(500);
        assertThat(limiter.acquire("b")).isNull();
        now[0] += 500_000_000L;
        assertThat(limiter.acquire("a")).isNull();
        assertThat(limiter.acquire("a")).isNotNull();
    }
}
