package org.transplant.archive;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.OwnerOnlyFiles;

/**
 * Opens an archive into an export folder, refusing it ({@link ArchiveRefused}) before a byte lands in the folder
 * unless its form is right: exactly the three entries in order, a readable version, a signature by the key the
 * identity names over the identity, and an encrypted part of the size and SHA-256 it gives. Then decrypts and
 * unpacks within a budget, checks the integrity of the decryption and that the key inside is the identity's own.
 * On any refusal the folder is removed again. Blocking.
 */
public final class ArchiveReader {

    /** What an archive held: its identity, the unpacked folder and the account's private key (PEM). */
    public record Opened(ArchiveIdentity identity, Path folder, String privateKeyPem) {
        @Override
        public String toString() {
            return "Opened[" + identity.handle() + " in " + folder + "]";
        }
    }

    private ArchiveReader() {}

    /**
     * Opens {@code archive} with {@code password} into {@code target}, which must not exist; the unpacked account
     * is at most {@code maxUnpackedBytes} (and at most {@link ArchiveFormat#MAX_UNPACK_RATIO} times the encrypted
     * part).
     */
    public static Opened open(Path archive, char[] password, Path target, long maxUnpackedBytes, long maxPhotoBytes) {
        ArchiveIdentity identity = checkedIdentity(archive);
        try (InputStream head = dataOf(archive)) {
            PasswordEncryption.checkForm(head);
        } catch (IOException e) {
            throw ArchiveRefused.damaged(ArchiveFormat.DATA + " cannot be read");
        }
        long budget = Math.min(
                maxUnpackedBytes, Math.multiplyExact(identity.dataBytes(), ArchiveFormat.MAX_UNPACK_RATIO) + (1 << 20));
        try {
            Files.createDirectory(target, OwnerOnlyFiles.FOLDER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the folder to open the archive in", e);
        }
        boolean opened = false;
        try (InputStream data = dataOf(archive)) {
            PasswordEncryption.Opened decrypted = PasswordEncryption.decrypting(data, password);
            FolderTar.unpack(new Budget(decrypted.content(), budget), target, budget, maxPhotoBytes);
            decrypted.verify();
            requireSameAccount(target, identity);
            String key = keyOf(target, identity);
            opened = true;
            return new Opened(identity, target, key);
        } catch (IOException e) {
            throw ArchiveRefused.damaged(ArchiveFormat.DATA + " cannot be read");
        } catch (ArchiveRefused e) {
            throw e;
        } catch (RuntimeException e) {
            // A parser's own exception about hostile bytes: the archive's fault, not the pod's.
            throw ArchiveRefused.damaged(ArchiveFormat.DATA + " cannot be read");
        } finally {
            if (!opened) {
                // Also after an Error: nothing half-unpacked (the key perhaps) stays behind.
                OwnerOnlyFiles.removeQuietly(target);
            }
        }
    }

    /** Refuses a folder whose account document is of another account than the signed identity. */
    private static void requireSameAccount(Path folder, ArchiveIdentity identity) throws IOException {
        Path file = folder.resolve(FolderFormat.ACCOUNT);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw ArchiveRefused.damaged("it holds no " + FolderFormat.ACCOUNT);
        }
        JsonObject account;
        try {
            account = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException | CharacterCodingException e) {
            throw ArchiveRefused.damaged(FolderFormat.ACCOUNT + " is not a JSON object");
        }
        boolean same = account.getValue("handle") instanceof String handle
                && handle.equalsIgnoreCase(identity.handle())
                && identity.guid().equals(account.getValue("guid"));
        if (!same) {
            throw new ArchiveRefused(
                    "tampered", "The archive's account data is of another account than the identity it is signed as");
        }
    }

    /** The identity, once the archive's form, signature and hash of the encrypted part check out. */
    static ArchiveIdentity checkedIdentity(Path archive) {
        byte[] plain;
        byte[] signature;
        String sha256;
        long bytes;
        try (CappedTar tar = tarOf(archive)) {
            plain = small(tar, ArchiveFormat.IDENTITY, ArchiveFormat.MAX_IDENTITY_BYTES);
            signature = small(tar, ArchiveFormat.SIGNATURE, ArchiveFormat.MAX_SIGNATURE_BYTES);
            expect(tar, ArchiveFormat.DATA);
            MessageDigest digest = ArchiveWriter.sha256();
            byte[] buffer = new byte[1 << 16];
            bytes = 0;
            for (int n; (n = tar.data().read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                bytes += n;
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
            if (tar.next() != null) {
                throw ArchiveRefused.unsafe("more than the three entries of an archive");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ArchiveRefused.damaged("it is not a whole tar of an archive");
        }
        ArchiveIdentity identity = ArchiveIdentity.parse(plain);
        ArchiveSeal.verify(identity.publicKeyPem(), plain, signature);
        if (bytes != identity.dataBytes() || !sha256.equals(identity.dataSha256())) {
            throw PasswordEncryption.tampered();
        }
        return identity;
    }

    private static String keyOf(Path folder, ArchiveIdentity identity) throws IOException {
        Path file = folder.resolve(FolderFormat.KEY);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || Files.size(file) > ArchiveFormat.MAX_IDENTITY_BYTES) {
            throw ArchiveRefused.damaged("it holds no private key of the account");
        }
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        PrivateKey key;
        try {
            key = KeyPairs.parsePrivateKey(pem);
        } catch (IllegalStateException e) {
            throw ArchiveRefused.damaged("its private key cannot be read");
        }
        if (!ArchiveSeal.pairs(key, identity.publicKeyPem())) {
            throw ArchiveSeal.badSignature();
        }
        return pem;
    }

    /** The encrypted part's bytes, read out of the archive's third entry. */
    private static InputStream dataOf(Path archive) throws IOException {
        CappedTar tar = tarOf(archive);
        try {
            expect(tar, ArchiveFormat.IDENTITY);
            expect(tar, ArchiveFormat.SIGNATURE);
            expect(tar, ArchiveFormat.DATA);
            return tar.data();
        } catch (RuntimeException | IOException e) {
            tar.close();
            throw e;
        }
    }

    private static CappedTar tarOf(Path archive) throws IOException {
        return new CappedTar(new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
    }

    private static TarArchiveEntry expect(CappedTar tar, String name) throws IOException {
        TarArchiveEntry entry = tar.next();
        if (entry == null) {
            throw ArchiveRefused.damaged("it ends before " + name);
        }
        if (!FolderTar.plain(entry) || !entry.getName().equals(name)) {
            throw ArchiveRefused.unsafe(FolderTar.shown(entry.getName()) + " where " + name + " belongs");
        }
        return entry;
    }

    private static byte[] small(CappedTar tar, String name, int max) throws IOException {
        TarArchiveEntry entry = expect(tar, name);
        if (entry.getSize() > max) {
            throw ArchiveRefused.tooLarge(name + " is larger than " + max + " bytes");
        }
        byte[] bytes = tar.data().readNBytes(max + 1);
        if (bytes.length != entry.getSize()) {
            throw ArchiveRefused.damaged(name + " is cut short");
        }
        return bytes;
    }

    /** The decrypted stream, refused as a bomb once it passes its budget. */
    private static final class Budget extends FilterInputStream {
        private long left;

        Budget(InputStream in, long budget) {
            super(in);
            this.left = budget;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw ArchiveRefused.tooLarge("more than its budget of bytes");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw ArchiveRefused.tooLarge("more than its budget of bytes");
            }
            return n;
        }
    }
}
