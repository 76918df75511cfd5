package org.transplant.pod.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.transplant.web.ProblemException;

class SyntheticContentRulesTest {

    private static SyntheticContentRequest request(
            int posts,
            int comments,
            int likes,
            int photos,
            int photoBytes,
            int contacts,
            int conversations,
            int messages) {
        return new SyntheticContentRequest(
                posts, comments, likes, photos, photoBytes, contacts, conversations, messages, 1);
    }

    private static String refusedField(SyntheticContentRequest request) {
        try {
            SyntheticContentRules.check(request);
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isEqualTo(400);
            return e.problem().errors().get(0).field();
        }
        throw new AssertionError("accepted " + request);
    }

    @Test
    void acceptsSaneAmounts() {
        SyntheticContentRequest request = request(100_000, 3, 5, 20, 50_000, 500, 10, 20);
        assertThat(SyntheticContentGenerator.validate(request)).isSameAs(request);
        assertThat(SyntheticContentRules.check(request(0, 0, 0, 0, 0, 0, 0, 0))).isNotNull();
    }

    @Test
    void refusesNegativeNumbers() {
        assertThat(refusedField(request(-1, 0, 0, 0, 0, 0, 0, 0))).isEqualTo("posts");
        assertThat(refusedField(request(1, -1, 0, 0, 0, 0, 0, 0))).isEqualTo("commentsPerPost");
        assertThat(refusedField(request(1, 0, -1, 0, 0, 0, 0, 0))).isEqualTo("likesPerPost");
        assertThat(refusedField(request(1, 0, 0, -1, 0, 0, 0, 0))).isEqualTo("photos");
        assertThat(refusedField(request(1, 0, 0, 0, -5, 0, 0, 0))).isEqualTo("photoBytes");
        assertThat(refusedField(request(1, 0, 0, 0, 0, -1, 0, 0))).isEqualTo("contacts");
        assertThat(refusedField(request(1, 0, 0, 0, 0, 0, -1, 0))).isEqualTo("conversations");
        assertThat(refusedField(request(1, 0, 0, 0, 0, 0, 0, -1))).isEqualTo("messagesPerConversation");
    }

    @Test
    void refusesAmountsBeyondTheBounds() {
        assertThat(refusedField(request(1_000_001, 0, 0, 0, 0, 0, 0, 0))).isEqualTo("posts");
        assertThat(refusedField(request(1, 101, 0, 0, 0, 0, 0, 0))).isEqualTo("commentsPerPost");
        assertThat(refusedField(request(1, 0, 101, 0, 0, 0, 0, 0))).isEqualTo("likesPerPost");
        assertThat(refusedField(request(1, 0, 0, 10_001, 2048, 0, 0, 0))).isEqualTo("photos");
        assertThat(refusedField(request(1, 0, 0, 1, 1023, 0, 0, 0))).isEqualTo("photoBytes");
        assertThat(refusedField(request(1, 0, 0, 1, 0, 0, 0, 0))).isEqualTo("photoBytes");
        assertThat(refusedField(request(1, 0, 0, 1, 5 * 1024 * 1024 + 1, 0, 0, 0)))
                .isEqualTo("photoBytes");
        assertThat(refusedField(request(1, 0, 0, 0, 0, 100_001, 0, 0))).isEqualTo("contacts");
        assertThat(refusedField(request(1, 0, 0, 0, 0, 0, 10_001, 0))).isEqualTo("conversations");
        assertThat(refusedField(request(1, 0, 0, 0, 0, 0, 0, 1_001))).isEqualTo("messagesPerConversation");
    }

    @Test
    void refusesAMissingBody() {
        assertThatThrownBy(() -> SyntheticContentRules.check(null)).isInstanceOf(ProblemException.class);
    }
}
