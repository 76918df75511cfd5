package org.transplant.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDigestTest {

    private static final PodDigest OLD = PodDigest.of(
            "nina@old",
            Map.of("posts", List.of("p1|hello", "p2|world", "p3|again"), "tag-followings", List.of("moving")));

    @Test
    void equalContentHasEqualDigestsAndPasses() throws Exception {
        PodDigest copy = PodDigest.of(
                "nina@new",
                Map.of("posts", List.of("p1|hello", "p2|world", "p3|again"), "tag-followings", List.of("moving")));
        assertThat(copy.digests()).isEqualTo(OLD.digests());
        copy.assertSameAs(OLD);
    }

    @Test
    void aChangedItemIsNamedWithItsCollectionAndPlace() {
        PodDigest copy = PodDigest.of(
                "nina@new",
                Map.of("posts", List.of("p1|hello", "p2|World", "p3|again"), "tag-followings", List.of("moving")));
        assertThatThrownBy(() -> copy.assertSameAs(OLD))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("posts (3 items expected, 3 found): first difference at item 1:"
                        + " expected [p2|world] but found [p2|World]")
                .hasMessageNotContaining("tag-followings");
    }

    @Test
    void aMissingOrDuplicatedItemIsNamed() {
        PodDigest missing = PodDigest.of(
                "nina@new", Map.of("posts", List.of("p1|hello", "p2|world"), "tag-followings", List.of("moving")));
        assertThatThrownBy(() -> missing.assertSameAs(OLD))
                .hasMessageContaining("at item 2: expected [p3|again] but found nothing");
        PodDigest twice = PodDigest.of(
                "nina@new",
                Map.of(
                        "posts",
                        List.of("p1|hello", "p2|world", "p3|again"),
                        "tag-followings",
                        List.of("moving", "moving")));
        assertThatThrownBy(() -> twice.assertSameAs(OLD))
                .hasMessageContaining("tag-followings (1 items expected, 2 found)")
                .hasMessageContaining("expected nothing but found [moving]");
    }

    @Test
    void anEmptyCollectionIsCalledOut() {
        PodDigest empty = PodDigest.of("nina@old", Map.of("posts", List.of("p1"), "notifications", List.of()));
        assertThatThrownBy(empty::assertNoneEmpty).hasMessageContaining("[notifications]");
    }
}
