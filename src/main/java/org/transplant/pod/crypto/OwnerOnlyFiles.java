package org.transplant.pod.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Secrets the pod keeps in its data folder (the sealing key, the embedded database's password): files only the
 * pod's own user may read (rw-------), in a folder only it may enter.
 */
public final class OwnerOnlyFiles {

    /** Made with these, a folder or file is its owner's only from its first moment. */
    public static final FileAttribute<Set<PosixFilePermission>> FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    public static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnlyFiles() {}

    /** The file's text; when it is missing, writes {@code create}'s value first (atomically, owner-only). */
    public static String readOrCreate(Path file, Supplier<String> create) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.exists(folder)) {
            Files.createDirectories(folder, FOLDER);
        }
        Path temp = Files.createTempFile(folder, "secret", ".tmp", FILE);
        Files.writeString(temp, create.get(), StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        // Read back: of two instances starting together on one data folder, the last rename wins for both.
        return Files.readString(file).trim();
    }

    /**
     * The folder, made when missing, entered by the pod's own user only (rwx------, also when it was there
     * already): what lands below it (exports, archives, their private keys while written) is no one else's to read.
     */
    public static Path folder(Path folder) throws IOException {
        var ownerOnly = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
        }
        Files.setPosixFilePermissions(folder, ownerOnly);
        return folder;
    }

    /** Removes a file or a folder with all it holds, as far as it can; what stays is swept later. */
    public static void removeQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // What cannot be removed now is removed with the next sweep.
                }
            });
        } catch (IOException ignored) {
            // As above.
        }
    }

    /** The entries of a folder of the pod's own (made owner-only, and made when missing). */
    public static java.util.List<Path> entries(Path folder) {
        try (Stream<Path> entries = Files.list(folder(folder))) {
            return entries.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
