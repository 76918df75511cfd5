package org.transplant.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The backup's authorization, in {@code .transplant-backup/credentials.json} (owner only): the pod, its token
 * endpoint, the client id it registered as, and the refresh token, rotated at every use and written before the
 * new access token is used.
 */
final class Credentials {

    static final String FILE = "credentials.json";

    private Credentials() {}

    static ObjectNode load(BackupFolder folder) {
        return (ObjectNode) folder.readState(FILE)
                .filter(node -> node.isObject() && node.hasNonNull("refreshToken") && node.hasNonNull("pod"))
                .orElseThrow(() -> new BackupFailure(
                        BackupFailure.Kind.USAGE,
                        "No backup is set up in " + folder.root() + ": run `transplant-backup init POD_URL --dir "
                                + folder.root() + "` first."));
    }
}
