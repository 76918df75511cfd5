package org.transplant.backup;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A pod cannot page a backup without end: empty pages that point on, a page pointing at itself, more than counted. */
class PageBoundsTest {

    private static final JsonNode ACCOUNT = BackupJson.parse("{\"counts\":{\"posts\":250}}", "test");
    private static final URI PAGE = URI.create("https://pod.example/migration/v1/posts?cursor=a");

    @Test
    void pagesWithinTheCountPass() {
        assertThatCode(() -> PageBounds.check(
                        "posts", 100, "https://pod.example/migration/v1/posts?cursor=b", PAGE, 100, ACCOUNT))
                .doesNotThrowAnyException();
        assertThatCode(() -> PageBounds.check("posts", 50, null, PAGE, 200, ACCOUNT))
                .doesNotThrowAnyException();
        assertThatCode(() -> PageBounds.check("tombstones", 0, null, PAGE, 0, ACCOUNT))
                .doesNotThrowAnyException();
    }

    @Test
    void anEmptyPageThatPointsOnOrAPageThatPointsAtItselfStopsThePull() {
        assertThatThrownBy(() -> PageBounds.check("tombstones", 0, "https://pod.example/x?cursor=c", PAGE, 0, ACCOUNT))
                .isInstanceOf(BackupFailure.class)
                .hasMessageContaining("holds nothing new");
        assertThatThrownBy(() -> PageBounds.check("posts", 10, PAGE.toString(), PAGE, 0, ACCOUNT))
                .isInstanceOf(BackupFailure.class);
    }

    @Test
    void moreRecordsThanThePodCountedStopThePull() {
        assertThatThrownBy(() -> PageBounds.check("posts", 100, null, PAGE, 200, ACCOUNT))
                .isInstanceOf(BackupFailure.class)
                .hasMessageContaining("300 records arrived where the pod counted 250");
    }
}
