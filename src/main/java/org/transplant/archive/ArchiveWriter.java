package org.transplant.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Turns an export folder into an archive ({@link ArchiveFormat}), streaming: the folder is packed and encrypted
 * to a file beside the archive while its SHA-256 is counted, then the signed identity and that file are packed
 * into the archive, which takes its name only when whole. The heap holds buffers, never the account. Blocking.
 */
public final class ArchiveWriter {

    private ArchiveWriter() {}

    /** Writes {@code archive} (which must not exist) from {@code folder}; answers the identity it sealed. */
    public static ArchiveIdentity write(
            Path folder, ArchiveIdentity identity, PrivateKey key, char[] password, Path archive, SecureRandom random)
            throws IOException {
        Path data = archive.resolveSibling("." + archive.getFileName() + ".data.partial");
        Path partial = archive.resolveSibling("." + archive.getFileName() + ".partial");
        try {
            MessageDigest digest = sha256();
            long bytes;
            try (DigestOutputStream hashed = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(data, StandardOpenOption.CREATE_NEW), 1 << 16),
                    digest)) {
                try (OutputStream encrypted = PasswordEncryption.encrypting(hashed, password, random)) {
                    FolderTar.pack(folder, encrypted);
                }
            }
            bytes = Files.size(data);
            ArchiveIdentity sealed = identity.sealing(HexFormat.of().formatHex(digest.digest()), bytes);
            byte[] plain = sealed.toBytes();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW), 1 << 16))) {
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                entry(tar, ArchiveFormat.IDENTITY, plain);
                entry(tar, ArchiveFormat.SIGNATURE, ArchiveSeal.sign(key, plain));
                TarArchiveEntry encrypted = new TarArchiveEntry(ArchiveFormat.DATA);
                encrypted.setSize(bytes);
                encrypted.setMode(0600);
                tar.putArchiveEntry(encrypted);
                Files.copy(data, tar);
                tar.closeArchiveEntry();
                tar.finish();
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            return sealed;
        } finally {
            Files.deleteIfExists(data);
            Files.deleteIfExists(partial);
        }
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
