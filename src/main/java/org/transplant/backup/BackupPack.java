package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code pack}: the backup as one zip a pod's "Import an archive" page takes, holding {@code manifest.json} and
 * exactly the files it lists, under the names it gives them. Each file is checked against the manifest's SHA-256 as
 * it is packed, so a backup damaged on disk is never handed on as whole.
 */
final class BackupPack {

    private BackupPack() {}

    static Path write(BackupFolder folder, Path out) throws IOException {
        Path manifestFile = folder.file(FolderLayout.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BackupFailure(
                    BackupFailure.Kind.USAGE, "No backup to pack in " + folder.root() + ": run pull first.");
        }
        JsonNode manifest = BackupJson.parse(Files.readAllBytes(manifestFile), "The backup's manifest.json");
        Path draft = out.resolveSibling(out.getFileName() + ".part");
        try (OutputStream file = Files.newOutputStream(draft);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            add(zip, FolderLayout.MANIFEST, manifestFile, null);
            for (Iterator<Map.Entry<String, JsonNode>> files =
                            manifest.path("files").fields();
                    files.hasNext(); ) {
                Map.Entry<String, JsonNode> listed = files.next();
                String name = listed.getKey();
                Path path = folder.root().resolve(name).normalize();
                if (!path.startsWith(folder.root()) || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BackupFailure(
                            BackupFailure.Kind.FAILED,
                            "The manifest lists " + Words.cut(name, 80) + ", which the backup does not hold as a plain"
                                    + " file (a link is never packed): run pull again.");
                }
                add(zip, name, path, BackupJson.text(listed.getValue(), "sha256"));
            }
        }
        BackupFolder.move(draft, out);
        return out;
    }

    private static void add(ZipOutputStream zip, String name, Path file, String sha256) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
        if (sha256 != null && !HexFormat.of().formatHex(digest.digest()).equalsIgnoreCase(sha256)) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED,
                    "The backup's " + name + " no longer matches its manifest (changed or damaged on disk); run pull"
                            + " again to fetch it anew.");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
