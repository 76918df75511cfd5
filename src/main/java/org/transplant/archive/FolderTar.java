package org.transplant.archive;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.OwnerOnlyFiles;

/**
 * The export folder as the tar inside an archive's encrypted part. Packing takes exactly the manifest and the
 * files it names; unpacking writes only plain files the folder format knows, each within its size, the whole
 * within a budget, each once, never through a link. Blocking.
 */
final class FolderTar {

    private FolderTar() {}

    /** Writes the folder's manifest and every file it names to {@code out} as a tar (not closing {@code out}). */
    static void pack(Path folder, OutputStream out) throws IOException {
        List<String> names = new ArrayList<>();
        names.add(FolderFormat.MANIFEST);
        names.addAll(filesOf(folder));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NotClosingOutput(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (String name : names) {
            Path file = FolderFormat.within(folder, name).orElseThrow();
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(file));
            entry.setModTime(Files.getLastModifiedTime(file));
            entry.setMode(0600);
            tar.putArchiveEntry(entry);
            Files.copy(file, tar);
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.close();
    }

    private static List<String> filesOf(Path folder) throws IOException {
        try {
            JsonObject manifest = new JsonObject(Files.readString(folder.resolve(FolderFormat.MANIFEST)));
            return new ArrayList<>(manifest.getJsonObject("files").fieldNames());
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            throw new IOException("the export folder has no readable manifest", e);
        }
    }

    /**
     * Unpacks the tar read from {@code in} into {@code target} (an empty folder); at most {@code budget} bytes in
     * all. Refuses with {@link ArchiveRefused} at the first entry out of bounds.
     */
    static void unpack(InputStream in, Path target, long budget, long maxPhotoBytes) {
        long total = 0;
        int entries = 0;
        try {
            Files.createDirectories(target.resolve(FolderFormat.PHOTOS), OwnerOnlyFiles.FOLDER);
            CappedTar tar = new CappedTar(in);
            for (TarArchiveEntry entry; (entry = tar.next()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory() && (name.equals(FolderFormat.PHOTOS + "/"))) {
                    continue;
                }
                if (++entries > ArchiveFormat.MAX_ENTRIES) {
                    throw ArchiveRefused.tooLarge("more than " + ArchiveFormat.MAX_ENTRIES + " files");
                }
                Path file = FolderFormat.within(target, name).orElse(null);
                boolean known = file != null && (name.equals(FolderFormat.MANIFEST) || FolderFormat.isFile(name));
                if (!known || !plain(entry)) {
                    throw ArchiveRefused.unsafe(shown(name));
                }
                long cap = FolderFormat.capOf(name, maxPhotoBytes);
                if (entry.getSize() > cap) {
                    throw ArchiveRefused.tooLarge(shown(name) + " is larger than " + cap + " bytes");
                }
                total += entry.getSize();
                if (total > budget) {
                    throw ArchiveRefused.tooLarge("more than " + budget + " bytes in all");
                }
                try (OutputStream out = Files.newOutputStream(
                        Files.createFile(file, OwnerOnlyFiles.FILE),
                        StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    long copied = copyAtMost(tar.data(), out, entry.getSize() + 1);
                    if (copied != entry.getSize()) {
                        throw ArchiveRefused.damaged(shown(name) + " is not the size its header gives");
                    }
                } catch (FileAlreadyExistsException twice) {
                    throw ArchiveRefused.unsafe(shown(name) + " twice");
                }
            }
            // Whatever follows the tar's end is still read, so that the integrity check covers every byte.
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | IllegalArgumentException e) {
            throw ArchiveRefused.damaged("its account data cannot be unpacked");
        }
    }

    /**
     * Whether an entry is a plain file whose data is exactly its stored bytes: not a link, device or pipe, and not
     * sparse (a sparse entry expands holes that no budget on the input counts).
     */
    static boolean plain(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM)
                && !entry.isSparse()
                && !entry.isLink()
                && !entry.isSymbolicLink();
    }

    private static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        for (int n; copied < max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max - copied))) > 0; ) {
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    static String shown(String name) {
        String cut = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
