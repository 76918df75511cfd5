package org.transplant.migration.importer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.importer.OldPodApi.CallFailed;

/**
 * Checks a folder of the export's files before anything of it is written: the manifest is of a known format, every
 * file it names is a plain file inside the folder of the size and SHA-256 it says, and no line of a collection is
 * longer than {@link FolderFormat#MAX_LINE_BYTES}. Blocking (run it on the worker pool). A refusal is a
 * {@link CallFailed} that ends the job, its message the reason.
 */
final class FolderCheck {

    private FolderCheck() {}

    /** The folder's manifest, once every file it names checked out. */
    static JsonObject verify(Path folder, long maxPhotoBytes) {
        Path root = real(folder);
        JsonObject manifest = document(root, FolderFormat.MANIFEST);
        if (!FolderFormat.VERSION.equals(manifest.getValue("format"))) {
            throw refused("The folder's manifest is not of the format " + FolderFormat.VERSION);
        }
        if (!(manifest.getValue("files") instanceof JsonObject files) || !files.containsKey(FolderFormat.ACCOUNT)) {
            throw refused("The folder's manifest lists no files (or not " + FolderFormat.ACCOUNT + ")");
        }
        for (String name : files.fieldNames()) {
            if (!(files.getValue(name) instanceof JsonObject entry)
                    || !(entry.getValue("sha256") instanceof String sha256)) {
                throw refused("The folder's manifest gives no sha256 for " + name);
            }
            long cap = FolderFormat.capOf(name, maxPhotoBytes);
            Path file = file(root, name);
            check(root, name, file, sha256, cap);
        }
        return manifest;
    }

    /** A file of the folder, only where the manifest may name one (account, a collection, a photo). */
    static Path file(Path root, String name) {
        boolean known = FolderFormat.isFile(name);
        Path file = FolderFormat.within(root, name).orElse(null);
        if (!known || file == null) {
            throw refused("The folder's manifest names " + quoted(name) + ", which is not a file of the folder");
        }
        return file;
    }

    /** The folder itself, resolved: every file read must be inside this path. */
    static Path real(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw refused("The folder " + folder.getFileName() + " is not there");
        }
    }

    /** A JSON document of the folder (manifest, account), within the size for one. */
    static JsonObject document(Path root, String name) {
        Path file = FolderFormat.within(root, name).orElseThrow();
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw refused("The folder has no " + name);
            }
            if (Files.size(file) > FolderFormat.MAX_DOCUMENT_BYTES) {
                throw refused("The folder's " + name + " is larger than this pod reads");
            }
            return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException | java.nio.charset.CharacterCodingException e) {
            throw refused("The folder's " + name + " is not a JSON object in UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(Path root, String name, Path file, String sha256, long cap) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !file.toRealPath().startsWith(root)) {
                throw refused("The folder has no file " + quoted(name) + " (or it is a link)");
            }
            if (Files.size(file) > cap) {
                throw refused(
                        "The folder's " + name + " is larger than this pod takes (" + PageBounds.bytes(cap) + ")");
            }
            boolean lines = name.endsWith(".ndjson");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                long line = 0;
                long lineNumber = 1;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    if (!lines) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            line = 0;
                            lineNumber++;
                        } else if (++line > FolderFormat.MAX_LINE_BYTES) {
                            throw refused("Line " + lineNumber + " of the folder's " + name + " is longer than "
                                    + PageBounds.bytes(FolderFormat.MAX_LINE_BYTES));
                        }
                    }
                }
            }
            if (!HexFormat.of().formatHex(digest.digest()).equalsIgnoreCase(sha256)) {
                throw refused("The folder's " + name + " does not match the SHA-256 its manifest gives");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(String name) {
        String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    static CallFailed refused(String reason) {
        return PageBounds.refused(reason);
    }
}
