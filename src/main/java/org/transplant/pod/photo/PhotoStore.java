package org.transplant.pod.photo;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.Sha256;

/**
 * Photo bytes on disk under {@code <data dir>/photos/<first two chars>/<file name>}. Files are written to a
 * temporary name and renamed into place, so a crash never leaves half a photo under its real name. Blocking:
 * call it through the worker pool.
 */
@ApplicationScoped
public class PhotoStore {

    private final Path root;

    public PhotoStore(TransplantConfig config) {
        this.root = Path.of(config.dataDir()).resolve("photos").toAbsolutePath();
    }

    /** A stored file: its name (relative to the store), size and SHA-256 in hex. */
    public record StoredFile(String fileName, long size, String sha256) {
    }

    public StoredFile store(String fileName, byte[] bytes) {
        Path target = resolve(fileName);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".upload-", ".part");
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new StoredFile(fileName, bytes.length, Sha256.hex(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store photo " + fileName, e);
        }
    }

    /**
     * Where a photo being copied from another pod collects its bytes until they are complete and checked. The
     * key is this pod's (see {@link #partKey}), never a name another pod chose.
     */
    public Path partOf(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("bad part key");
        }
        return root.resolve(".parts").resolve(key + ".part");
    }

    /**
     * The part file's key for one photo of one import: the same on every attempt (so a cut-off transfer resumes),
     * different for every job, and a hash, so the remote guid never becomes a path.
     */
    public static String partKey(String jobId, String remoteGuid) {
        return Sha256.hex((jobId + "\n" + remoteGuid).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Moves a complete, checked part file into the store under a fresh name of this pod's own ({@code <random
     * guid>.<extension>}): another pod's guid must never decide which file it lands on (and so replaces).
     */
    public String adopt(Path part, String extension) {
        String fileName = Guids.next() + "." + extension;
        Path target = resolve(fileName);
        try {
            Files.createDirectories(target.getParent());
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return fileName;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store photo " + fileName, e);
        }
    }

    public Path resolve(String fileName) {
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("bad photo file name");
        }
        String shard = fileName.length() >= 2 ? fileName.substring(0, 2) : "00";
        return root.resolve(shard).resolve(fileName);
    }

    public void delete(String fileName) {
        try {
            Files.deleteIfExists(resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
