package org.transplant.pod.admin;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeds and guids of one generation. Texts, times and handles come from the request's seed alone; guids come from
 * the seed mixed with the account's guid, because guids are global: two accounts (on this pod or another one)
 * generated with the same seed must not share a guid.
 */
final class SyntheticSeeds {

    private static final HexFormat HEX = HexFormat.of();

    private SyntheticSeeds() {}

    /** The seed of the guid streams: the request's seed mixed with the 128 bits of the account's guid. */
    static long guidSeed(long seed, String accountGuid) {
        UUID hash = UUID.nameUUIDFromBytes(accountGuid.getBytes(StandardCharsets.UTF_8));
        return mix64(seed ^ mix64(hash.getMostSignificantBits()) ^ Long.rotateLeft(hash.getLeastSignificantBits(), 31));
    }

    /** A 32-character lowercase hex guid, the form diaspora* uses. */
    static String guid(SplittableRandom random) {
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    /**
     * A guid whose first 12 hex digits are its time, like a UUIDv7: the guid indexes then grow at their right edge
     * instead of at random pages, which makes bulk inserts several times cheaper. The other 80 bits are random.
     */
    static String guid(SplittableRandom random, long epochMillis) {
        return HEX.toHexDigits(epochMillis).substring(4)
                + HEX.toHexDigits(random.nextLong()).substring(0, 4)
                + HEX.toHexDigits(random.nextLong());
    }

    /** A guid that depends only on its text, for remote people: the same handle always has the same guid. */
    static String guidOf(String text) {
        UUID hash = UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8));
        return HEX.toHexDigits(hash.getMostSignificantBits()) + HEX.toHexDigits(hash.getLeastSignificantBits());
    }

    /** Stafford's mix13: neighbouring inputs give unrelated outputs, so index-derived streams don't overlap. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
