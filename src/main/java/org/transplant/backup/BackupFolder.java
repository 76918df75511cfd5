package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The backup folder: the account's files in the layout of a Transplant archive's data part ({@code account.json},
 * {@code <collection>.ndjson}, {@code photos/<guid>}, {@code manifest.json}), what the pod deleted since
 * ({@code deleted.ndjson}), the viewer ({@code index.html}), and the client's own state under
 * {@code .transplant-backup/}, readable by its owner only (it holds the refresh token).
 */
final class BackupFolder {

    static final String STATE_DIR = ".transplant-backup";
    static final String DELETED = "deleted.ndjson";
    static final String PHOTOS = "photos";

    private final Path root;

    BackupFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path file(String name) {
        return root.resolve(name);
    }

    Path state(String name) {
        return root.resolve(STATE_DIR).resolve(name);
    }

    /** The run's folder: the pages of the pull under way, until they are merged into the backup. */
    Path run(String name) {
        return root.resolve(STATE_DIR).resolve("run").resolve(name);
    }

    Path photo(String guid) {
        return root.resolve(PHOTOS).resolve(guid);
    }

    /** Creates the folder and its state folder (owner only, where the file system knows permissions). */
    void create() {
        try {
            if (!Files.exists(root)) {
                // A backup holds limited posts and private conversations: a folder it makes is its owner's only. A
                // folder that was there keeps the permissions its owner gave it.
                Files.createDirectories(root);
                ownerOnly(root, "rwx------");
            }
            Path state = root.resolve(STATE_DIR);
            Files.createDirectories(state.resolve("run"));
            Files.createDirectories(state.resolve("parts"));
            Files.createDirectories(root.resolve(PHOTOS));
            ownerOnly(state, "rwx------");
        } catch (IOException e) {
            throw unwritable(root, e);
        }
    }

    Optional<JsonNode> readState(String name) {
        Path file = state(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BackupJson.parse(Files.readAllBytes(file), file.toString()));
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    /** Writes a state file whole or not at all: written beside it, flushed to disk, then moved over it. */
    void writeState(String name, JsonNode value) {
        writeAtomically(state(name), BackupJson.pretty(value).getBytes(StandardCharsets.UTF_8), true);
    }

    /** Writes a file of the backup whole or not at all. */
    void writeFile(Path file, byte[] bytes) {
        writeAtomically(file, bytes, false);
    }

    static void writeAtomically(Path file, byte[] bytes, boolean secret) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            if (secret && posix()) {
                // Created owner-only, so the refresh token is never readable by others, not even for a moment.
                Files.createFile(
                        temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (FileChannel out = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            move(temporary, file);
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    /** Moves a finished file into place in one step where the file system can. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Removes the journals of a finished (or a new) run. */
    void clearRun() throws IOException {
        try (var files = Files.list(root.resolve(STATE_DIR).resolve("run"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    static BackupFailure unwritable(Path path, IOException e) {
        return new BackupFailure(BackupFailure.Kind.FAILED, "Cannot write " + path + ": " + e.getMessage(), e);
    }
}
