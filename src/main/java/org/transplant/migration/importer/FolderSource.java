package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.outbound.OutboundRefused;
import org.transplant.pod.crypto.WorkerPool;

/**
 * A folder of the export's files ({@link FolderFormat}) under this pod's data directory. The manifest is checked
 * (every file's SHA-256, size and line lengths) when the account is read, the job's first step, so nothing of a
 * damaged or altered folder is written. A page's cursor is the byte offset of its first line. Data only: nothing
 * moves at a folder, so the finish step just ends the job.
 */
final class FolderSource implements ImportSource {

    private final Path folder;
    private final Path folders;
    private final WorkerPool workers;
    private final long maxPhotoBytes;
    private final long maxPageBytes;
    private final ArchiveEnd archiveEnd;
    /** Where the photos stayed (an archive's, linked), before their guid; null when they travel as files. */
    private final String linkedPhotos;

    /**
     * The folder {@code folder}, which must stay inside {@code folders}; a page reads at most about
     * {@code maxPageBytes} of lines (as an old pod's page is at most that many bytes).
     */
    FolderSource(
            Path folder,
            Path folders,
            WorkerPool workers,
            long maxPhotoBytes,
            long maxPageBytes,
            ArchiveEnd archiveEnd,
            String linkedPhotos) {
        this.archiveEnd = archiveEnd;
        this.linkedPhotos = linkedPhotos;
        this.folder = folder;
        this.folders = folders;
        this.workers = workers;
        this.maxPhotoBytes = maxPhotoBytes;
        this.maxPageBytes = maxPageBytes;
    }

    /**
     * The folder, resolved, once it is still inside the folders' directory; and the file {@code name} of it, only
     * when the manifest lists it (what the manifest does not list was never checked, so it is never read) and it
     * resolves inside the folder. Null for a file the manifest does not list.
     */
    private Path listed(String name) {
        Path root = FolderCheck.real(folder);
        if (!root.startsWith(FolderCheck.real(folders))) {
            throw FolderCheck.refused("The folder is no longer inside this pod's exports directory");
        }
        Path file = FolderCheck.file(root, name);
        if (!FolderCheck.document(root, FolderFormat.MANIFEST)
                .getJsonObject("files")
                .containsKey(name)) {
            return null;
        }
        try {
            if (!file.toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(root)
                    || !file.toRealPath().startsWith(root)) {
                throw FolderCheck.refused("The folder's " + name + " is not inside it");
            }
        } catch (IOException e) {
            return null;
        }
        return file;
    }

    @Override
    public Uni<JsonObject> account(ImportJob job) {
        return workers.run(() -> {
            Path root = FolderCheck.real(folder);
            FolderCheck.verify(root, maxPhotoBytes);
            return FolderCheck.document(root, FolderFormat.ACCOUNT);
        });
    }

    @Override
    public Uni<SourcePage> page(ImportJob job, String collection, String cursor, int limit) {
        return workers.run(() -> read(collection, cursor, limit));
    }

    private SourcePage read(String collection, String cursor, int limit) {
        Path file = listed(FolderFormat.fileOf(collection));
        JsonArray items = new JsonArray();
        if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new SourcePage(items, null);
        }
        long offset = offsetOf(cursor);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset > channel.size()) {
                throw FolderCheck.refused("A cursor past the end of the folder's " + file.getFileName());
            }
            channel.position(offset);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long at = offset;
            boolean end = false;
            while (items.size() < limit && at - offset < maxPageBytes) {
                line.reset();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    if (line.size() >= FolderFormat.MAX_LINE_BYTES) {
                        throw FolderCheck.refused("A line of the folder's " + file.getFileName() + " is longer than "
                                + PageBounds.bytes(FolderFormat.MAX_LINE_BYTES));
                    }
                    line.write(b);
                }
                at += line.size() + (b >= 0 ? 1 : 0);
                String text = line.toString(StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    try {
                        items.add(new JsonObject(text));
                    } catch (DecodeException | ClassCastException e) {
                        throw FolderCheck.refused(
                                "A line of the folder's " + file.getFileName() + " is not a JSON object");
                    }
                }
                if (b < 0) {
                    end = true;
                    break;
                }
            }
            if (!end && at >= channel.size()) {
                end = true;
            }
            return new SourcePage(items, end ? null : Long.toString(at));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long offsetOf(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            long offset = Long.parseLong(cursor);
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw FolderCheck.refused("A cursor of a folder is a byte offset");
        }
    }

    @Override
    public Uni<SourcePage> interactions(ImportJob job, String postGuid, String kind, String cursor, int limit) {
        return Uni.createFrom()
                .failure(FolderCheck.refused("A post of the folder counts more " + kind + " than it holds"));
    }

    @Override
    public Uni<Integer> appendPhoto(ImportJob job, String guid, String part, long from, long maxBytes) {
        return workers.run(() -> {
            Path photo = listed(FolderFormat.PHOTOS + "/" + guid);
            try {
                if (photo == null || !Files.isRegularFile(photo, LinkOption.NOFOLLOW_LINKS)) {
                    throw new CallFailed(404, "The folder has no photo " + guid, 0, false);
                }
                long size = Files.size(photo);
                if (size > maxBytes) {
                    throw new OutboundRefused.TooLarge("The folder's photo " + guid + " is larger than allowed");
                }
                if (from >= size) {
                    return 416;
                }
                try (FileChannel in = FileChannel.open(photo, StandardOpenOption.READ);
                        FileChannel out =
                                FileChannel.open(Path.of(part), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    out.truncate(from);
                    out.position(from);
                    in.position(from);
                    OutputStream sink = Channels.newOutputStream(out);
                    // At most what was measured: a file that grows after the check does not fill the disk.
                    Channels.newInputStream(in).transferTo(new BoundedOutput(sink, size - from));
                    sink.flush();
                }
                return from == 0 ? 200 : 206;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public String photoLink(String guid) {
        return linkedPhotos == null ? null : linkedPhotos + guid;
    }

    /**
     * Data only: nothing to finish on a source; the account here is the person's from now on. An archive's old pod
     * is asked to close the old account, and the contacts' pods are told ({@link ArchiveEnd}); its opened folder goes
     * with the job's end ({@link OpenedArchives}).
     */
    @Override
    public Uni<ImportJob> finish(ImportJob job, JobEnds ends) {
        if (!job.fromArchive()) {
            return ends.done(job, null);
        }
        return archiveEnd.finish(job).chain(noticesUrl -> ends.done(job, noticesUrl));
    }

    /** Passes at most {@code left} bytes on, then refuses: a photo is no larger than it was measured. */
    private static final class BoundedOutput extends java.io.FilterOutputStream {
        private long left;

        BoundedOutput(OutputStream out, long left) {
            super(out);
            this.left = left;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new OutboundRefused.TooLarge("A photo of the folder grew while it was read");
            }
            left -= len;
            out.write(b, off, len);
        }
    }
}
