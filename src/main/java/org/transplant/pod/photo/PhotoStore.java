package org.transplant.pod.photo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
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

    /** How a part file's name ends: what {@link #partBytes} counts as a photo's bytes. */
    private static final String PART = ".part";

    private final Path root;

    @Inject
    public PhotoStore(TransplantConfig config) {
        this(Path.of(config.dataDir()));
    }

    private PhotoStore(Path dataDir) {
        this.root = dataDir.resolve("photos").toAbsolutePath();
    }

    /** The store of the pod whose data folder is {@code dataDir}: for looking at another process's files (tests). */
    public static PhotoStore under(Path dataDir) {
        return new PhotoStore(dataDir);
    }

    /** A stored file: its name (relative to the store), size and SHA-256 in hex. */
    public record StoredFile(String fileName, long size, String sha256) {}

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
     * Where a photo being copied from another pod for one import collects its bytes until they are complete and
     * checked: the same file on every attempt (so a cut-off transfer resumes), in a folder of that import's own,
     * named by hashes, so the remote guid never becomes a path.
     */
    public Path partOf(String jobId, String remoteGuid) {
        return partsOf(jobId).resolve(Sha256.hex((jobId + "\n" + remoteGuid).getBytes(StandardCharsets.UTF_8)) + PART);
    }

    /** The folder of one import's part files. */
    public Path partsOf(String jobId) {
        return root.resolve(".parts").resolve(Sha256.hex(jobId.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Where one import keeps the first page of photos it read ahead, beside its part files (no part itself: it holds
     * no photo's bytes), so that it goes when they go.
     */
    public Path keptPageOf(String jobId) {
        return partsOf(jobId).resolve("first-page.json");
    }

    /** The bytes one import's part files hold now. Blocking. */
    public long partBytes(String jobId) {
        // Part files only: what else the folder holds (a page kept for the job) is no photo's bytes.
        return partFiles(jobId).stream()
                .filter(file -> file.getFileName().toString().endsWith(PART))
                .mapToLong(PhotoStore::sizeOf)
                .sum();
    }

    /** Removes the part files of one import except {@code keep}. Blocking. */
    public void dropParts(String jobId, Set<Path> keep) {
        for (Path part : partFiles(jobId)) {
            if (!keep.contains(part)) {
                deleteQuietly(part);
            }
        }
        if (keep.isEmpty()) {
            deleteQuietly(partsOf(jobId));
        }
    }

    private List<Path> partFiles(String jobId) {
        Path folder = partsOf(jobId);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            // Gone meanwhile (adopted or dropped): it holds nothing.
            return 0;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left for the next end of the job, or an operator: nothing reads it again.
        }
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
