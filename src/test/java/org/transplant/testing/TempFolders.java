package org.transplant.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test data folders (a pod's PostgreSQL cluster, its photos) are large: each is deleted when its test is done. */
public final class TempFolders {

    private TempFolders() {}

    /** Deletes {@code folder} and everything in it; what cannot be deleted stays (the OS cleans /tmp). */
    public static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Best effort: a leftover folder costs disk, not correctness.
        }
    }
}
