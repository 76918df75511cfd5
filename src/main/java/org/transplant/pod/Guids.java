package org.transplant.pod;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Global ids in diaspora*'s form: 32 lowercase hex characters (128 random bits). */
public final class Guids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Guids() {}

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isValid(String guid) {
        return guid != null && guid.matches("[0-9a-zA-Z_\\-]{16,64}");
    }
}
