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

    /** 16 to 64 of {@code [0-9a-zA-Z_-]}: checked by hand, since an import checks a few for every row. */
    public static boolean isValid(String guid) {
        if (guid == null || guid.length() < 16 || guid.length() > 64) {
            return false;
        }
        for (int i = 0; i < guid.length(); i++) {
            char c = guid.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
