package org.transplant.migration.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void resolvesTheThreeFormsAgainstTheSize() {
        assertThat(ByteRange.parse("bytes=0-99", 3000)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=100-", 3000)).isEqualTo(new ByteRange(100, 2999));
        assertThat(ByteRange.parse("bytes=-500", 3000)).isEqualTo(new ByteRange(2500, 2999));
        assertThat(ByteRange.parse("bytes=2900-5000", 3000)).isEqualTo(new ByteRange(2900, 2999));
        assertThat(ByteRange.parse("bytes=-5000", 3000)).isEqualTo(new ByteRange(0, 2999));
        assertThat(new ByteRange(0, 99).contentRange(3000)).isEqualTo("bytes 0-99/3000");
        assertThat(new ByteRange(0, 99).length()).isEqualTo(100);
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=3000-", 3000)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 3000)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.UNSATISFIABLE.contentRange(3000)).isEqualTo("bytes */3000");
    }

    @Test
    void malformedOrSeveralRangesAreIgnored() {
        assertThat(ByteRange.parse(null, 3000)).isNull();
        assertThat(ByteRange.parse("items=0-1", 3000)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,4-5", 3000)).isNull();
        assertThat(ByteRange.parse("bytes=5-1", 3000)).isNull();
        assertThat(ByteRange.parse("bytes=a-b", 3000)).isNull();
        assertThat(ByteRange.parse("bytes=-", 3000)).isNull();
    }
}
