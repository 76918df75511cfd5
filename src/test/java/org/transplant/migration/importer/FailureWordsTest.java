package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.DecodeException;
import org.junit.jupiter.api.Test;
import org.transplant.outbound.OutboundRefused;

/** What a person reads about a failed step of their import: the pod's own words, never an exception's message. */
class FailureWordsTest {

    @Test
    void anUnexpectedFailureIsNotQuoted() {
        // A parser quotes what it could not read, and that came from the old pod.
        String words = ImportRunner.wordsFor(new DecodeException("Failed to decode: <a href=x>log in here</a>"));
        assertThat(words).doesNotContain("<a").doesNotContain("log in here").contains("this pod");
    }

    @Test
    void thePodsOwnReasonsAreShown() {
        assertThat(ImportRunner.wordsFor(new OutboundRefused("old.example answered more than 10 bytes")))
                .isEqualTo("old.example answered more than 10 bytes");
        assertThat(ImportRunner.wordsFor(PageBounds.refused("This import would have written 14 records")))
                .isEqualTo("This import would have written 14 records");
    }
}
