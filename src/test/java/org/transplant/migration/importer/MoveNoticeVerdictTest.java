package org.transplant.migration.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** How B reads the old pod's report on its move notices against the acceptance threshold. */
class MoveNoticeVerdictTest {

    @Test
    void theThresholdDecidesOnceEveryDeliveryHasEnded() {
        assertThat(verdict(3, 0, 1, 0, 0.75)).isEqualTo("complete");
        assertThat(verdict(2, 1, 1, 0, 0.75)).isEqualTo("needs-attention");
        assertThat(verdict(2, 1, 1, 0, 0.5)).isEqualTo("complete");
        assertThat(verdict(9, 0, 0, 1, 0.5)).isEqualTo("in-progress");
        // Nobody to tell: nothing to wait for.
        assertThat(verdict(0, 0, 0, 0, 0.9)).isEqualTo("complete");
        assertThat(MoveNoticeWatch.withVerdict(report(2, 1, 1, 0), 0.9).getInteger("total"))
                .isEqualTo(4);
    }

    private static String verdict(int accepted, int refused, int unreachable, int pending, double threshold) {
        return MoveNoticeWatch.withVerdict(report(accepted, refused, unreachable, pending), threshold)
                .getString("verdict");
    }

    private static JsonObject report(int accepted, int refused, int unreachable, int pending) {
        return new JsonObject()
                .put("accepted", accepted)
                .put("refused", refused)
                .put("unreachable", unreachable)
                .put("pending", pending);
    }
}
