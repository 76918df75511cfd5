package org.transplant.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a body up to a cap: a pod that answers without end fills no memory. */
final class Bounded {

    private Bounded() {}

    static byte[] read(InputStream in, int max, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (out.size() + n > max) {
                throw new BackupFailure(
                        BackupFailure.Kind.FAILED, "The answer to " + what + " is larger than " + (max >> 20) + " MiB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
