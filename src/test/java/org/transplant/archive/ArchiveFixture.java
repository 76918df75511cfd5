package org.transplant.archive;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.KeyPairs.PemKeyPair;
import org.transplant.pod.crypto.Sha256;

/** A small export folder and its key, and ways to make archives of it, honest or not. */
final class ArchiveFixture {

    static final SecureRandom RANDOM = new SecureRandom();
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    static final String GUID = "0123456789abcdef0123456789abcdef";
    static final String PHOTO = FolderFormat.PHOTOS + "/0123456789abcdef0123456789abcdef";

    final PemKeyPair keys = KeyPairs.generate(2048, RANDOM);
    final Map<String, byte[]> files = new LinkedHashMap<>();

    ArchiveFixture() {
        files.put(
                FolderFormat.ACCOUNT,
                ("{\"handle\":\"olga@old.example\",\"guid\":\"" + GUID + "\"}").getBytes(StandardCharsets.UTF_8));
        files.put(FolderFormat.KEY, keys.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
        files.put(
                FolderFormat.fileOf("posts"),
                "{\"guid\":\"p1\",\"text\":\"hello\"}\n{\"guid\":\"p2\",\"text\":\"again\"}\n"
                        .getBytes(StandardCharsets.UTF_8));
        byte[] photo = new byte[50_000];
        RANDOM.nextBytes(photo);
        files.put(PHOTO, photo);
    }

    PrivateKey privateKey() {
        return KeyPairs.parsePrivateKey(keys.privateKeyPem());
    }

    ArchiveIdentity identity() {
        return new ArchiveIdentity(
                ArchiveFormat.VERSION,
                "olga@old.example",
                GUID,
                keys.publicKeyPem(),
                Instant.parse("2026-12-01T10:00:00Z"),
                PhotoChoice.INCLUDED,
                null,
                0);
    }

    /** The identity with another format, handle or key: a hostile archive's. */
    ArchiveIdentity identityWith(String format, String handle, String publicKeyPem) {
        ArchiveIdentity honest = identity();
        return new ArchiveIdentity(
                format, handle, honest.guid(), publicKeyPem, honest.createdAt(), honest.photos(), null, 0);
    }

    /** The folder as an export writes it, manifest included. */
    Path folder(Path where) throws IOException {
        Path folder = Files.createDirectories(where);
        Files.createDirectories(folder.resolve(FolderFormat.PHOTOS));
        JsonObject listed = new JsonObject();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(folder.resolve(file.getKey()), file.getValue());
            listed.put(
                    file.getKey(),
                    new JsonObject()
                            .put("sha256", Sha256.hex(file.getValue()))
                            .put("bytes", file.getValue().length)
                            .put("records", 1));
        }
        Files.writeString(
                folder.resolve(FolderFormat.MANIFEST),
                new JsonObject()
                        .put("format", FolderFormat.VERSION)
                        .put("files", listed)
                        .encode());
        return folder;
    }

    /** An honest archive of the folder. */
    Path archive(Path dir) throws IOException {
        Path archive = dir.resolve("olga.archive.tar");
        ArchiveWriter.write(folder(dir.resolve("export")), identity(), privateKey(), PASSWORD, archive, RANDOM);
        return archive;
    }

    /** What goes inside the encrypted part, written by the test as it likes. */
    interface Inner {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * An archive whose encrypted part holds whatever {@code inner} writes (encrypted with {@link #PASSWORD}),
     * with an identity signed by {@code signer}: the form of an honest archive around a hostile content.
     */
    static Path crafted(Path archive, ArchiveIdentity identity, PrivateKey signer, Inner inner) throws IOException {
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (OutputStream plain = PasswordEncryption.encrypting(encrypted, PASSWORD, RANDOM)) {
            inner.writeTo(plain);
        }
        return packed(archive, identity, signer, encrypted.toByteArray());
    }

    /** The three entries, the identity sealing {@code data} and signed by {@code signer}. */
    static Path packed(Path archive, ArchiveIdentity identity, PrivateKey signer, byte[] data) throws IOException {
        byte[] plain = identity.sealing(Sha256.hex(data), data.length).toBytes();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ArchiveFormat.IDENTITY, plain);
        entries.put(ArchiveFormat.SIGNATURE, ArchiveSeal.sign(signer, plain));
        entries.put(ArchiveFormat.DATA, data);
        return tar(archive, entries);
    }

    static Path tar(Path file, Map<String, byte[]> entries) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /** A tar of the fixture's files, then one more entry made by {@code extra}. */
    Inner filesAnd(TarWrite extra) {
        return out -> {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(new NotClosingOutput(out));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            extra.write(tar);
            tar.finish();
        };
    }

    interface TarWrite {
        void write(TarArchiveOutputStream tar) throws IOException;
    }
}
