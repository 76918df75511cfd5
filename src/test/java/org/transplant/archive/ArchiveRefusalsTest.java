package org.transplant.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.bouncycastle.bcpg.S2K;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.migration.api.FolderFormat;
import org.transplant.pod.crypto.KeyPairs;

/**
 * Every way an archive can be wrong is refused with its reason, and leaves nothing behind: the folder it would
 * have opened into does not exist afterwards.
 */
class ArchiveRefusalsTest {

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    @TempDir
    Path dir;

    final ArchiveFixture fixture = new ArchiveFixture();

    @Test
    void aWrongPasswordOpensNothing() throws IOException {
        Path archive = fixture.archive(dir);
        assertRefused(archive, "not the password".toCharArray(), "wrong-password");
    }

    @Test
    void aFlippedByteOfTheEncryptedPartIsTampering() throws IOException {
        Path archive = fixture.archive(dir);
        flip(archive, 20_000); // inside data.pgp, which runs from about 2.5 KiB to past 50 KiB
        assertRefused(archive, "tampered");
    }

    @Test
    void aFlippedByteOfTheIdentityBreaksTheSignature() throws IOException {
        Path archive = fixture.archive(dir);
        String text = Files.readString(archive, StandardCharsets.ISO_8859_1);
        flip(archive, text.indexOf("olga@old.example"));
        assertRefused(archive, "bad-signature");
    }

    @Test
    void anIdentitySignedByAnotherKeyIsRefused() throws IOException {
        KeyPairs.PemKeyPair other = KeyPairs.generate(2048, ArchiveFixture.RANDOM);
        Path archive = ArchiveFixture.crafted(
                dir.resolve("forged.tar"),
                fixture.identity(),
                KeyPairs.parsePrivateKey(other.privateKeyPem()),
                fixture.filesAnd(tar -> {}));
        assertRefused(archive, "bad-signature");
    }

    @Test
    void aKeyInsideThatIsNotTheIdentitysIsRefused() throws IOException {
        // Signed honestly by a second key the identity names, but holding the first account's private key.
        KeyPairs.PemKeyPair other = KeyPairs.generate(2048, ArchiveFixture.RANDOM);
        ArchiveIdentity claimed =
                fixture.identityWith(ArchiveFormat.VERSION, fixture.identity().handle(), other.publicKeyPem());
        Path archive = ArchiveFixture.crafted(
                dir.resolve("swapped.tar"),
                claimed,
                KeyPairs.parsePrivateKey(other.privateKeyPem()),
                fixture.filesAnd(tar -> {}));
        assertRefused(archive, "bad-signature");
    }

    @Test
    void aTruncatedArchiveIsDamaged() throws IOException {
        Path archive = fixture.archive(dir);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        assertRefused(archive, "damaged");
    }

    @Test
    void anEntryThatClimbsOutIsRefused() throws IOException {
        Path archive = ArchiveFixture.crafted(
                dir.resolve("climbs.tar"),
                fixture.identity(),
                fixture.privateKey(),
                fixture.filesAnd(tar -> entry(tar, "../../escaped.txt", "out".getBytes(StandardCharsets.UTF_8))));
        assertRefused(archive, "unsafe-entry");
        assertThat(dir.getParent().resolve("escaped.txt")).doesNotExist();
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void anAbsoluteEntryIsRefused() throws IOException {
        Path target = dir.resolve("absolute-target.txt");
        Path archive = ArchiveFixture.crafted(
                dir.resolve("absolute.tar"),
                fixture.identity(),
                fixture.privateKey(),
                fixture.filesAnd(tar -> entry(tar, target.toString(), "out".getBytes(StandardCharsets.UTF_8))));
        assertRefused(archive, "unsafe-entry");
        assertThat(target).doesNotExist();
    }

    @Test
    void aLinkEntryIsRefused() throws IOException {
        Path archive = ArchiveFixture.crafted(
                dir.resolve("link.tar"), fixture.identity(), fixture.privateKey(), fixture.filesAnd(tar -> {
                    TarArchiveEntry link = new TarArchiveEntry("posts.ndjson", TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName("/etc/passwd");
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                }));
        assertRefused(archive, "unsafe-entry");
    }

    @Test
    void aFileTheFormatDoesNotKnowIsRefused() throws IOException {
        Path archive = ArchiveFixture.crafted(
                dir.resolve("unknown.tar"),
                fixture.identity(),
                fixture.privateKey(),
                fixture.filesAnd(tar -> entry(tar, "run-me.sh", "#!/bin/sh".getBytes(StandardCharsets.UTF_8))));
        assertRefused(archive, "unsafe-entry");
    }

    @Test
    void theSameFileTwiceIsRefused() throws IOException {
        Path archive = ArchiveFixture.crafted(
                dir.resolve("twice.tar"),
                fixture.identity(),
                fixture.privateKey(),
                fixture.filesAnd(tar -> entry(tar, FolderFormat.ACCOUNT, "{}".getBytes(StandardCharsets.UTF_8))));
        assertRefused(archive, "unsafe-entry");
    }

    @Test
    void aDecompressionBombIsRefused() throws IOException {
        // 256 MiB of zeros compress to a few hundred KiB: far past the unpack ratio.
        Path archive = ArchiveFixture.crafted(
                dir.resolve("bomb.tar"), fixture.identity(), fixture.privateKey(), fixture.filesAnd(tar -> {
                    long size = 256L << 20;
                    TarArchiveEntry entry = new TarArchiveEntry(FolderFormat.fileOf("contacts"), true);
                    entry.setSize(size);
                    tar.putArchiveEntry(entry);
                    byte[] zeros = new byte[1 << 20];
                    for (long written = 0; written < size; written += zeros.length) {
                        tar.write(zeros);
                    }
                    tar.closeArchiveEntry();
                }));
        assertThat(Files.size(archive)).isLessThan(4L << 20);
        assertRefused(archive, "too-large");
    }

    @Test
    void anUnknownVersionIsRefused() throws IOException {
        ArchiveIdentity future =
                fixture.identityWith("transplant-archive/99", fixture.identity().handle(), fixture.keys.publicKeyPem());
        Path archive = ArchiveFixture.crafted(
                dir.resolve("future.tar"), future, fixture.privateKey(), fixture.filesAnd(tar -> {}));
        assertRefused(archive, "unknown-version");
    }

    @Test
    void aFourthEntryIsRefused() throws IOException {
        Path honest = fixture.archive(dir);
        Path unpacked = Files.createDirectory(dir.resolve("entries"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : new String[] {ArchiveFormat.IDENTITY, ArchiveFormat.SIGNATURE, ArchiveFormat.DATA}) {
            entries.put(name, entryOf(honest, name));
        }
        entries.put("readme.txt", "hi".getBytes(StandardCharsets.UTF_8));
        assertRefused(ArchiveFixture.tar(unpacked.resolve("four.tar"), entries), "unsafe-entry");
    }

    @Test
    void aPasswordKeyDrawnAnyOtherWayIsRefusedBeforeTryingIt() throws Exception {
        // An Argon2 S2K names its own memory cost: a hostile archive could ask for terabytes. Refused unread.
        var encrypted = new java.io.ByteArrayOutputStream();
        PGPEncryptedDataGenerator generator =
                new PGPEncryptedDataGenerator(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(true)
                        .setSecureRandom(ArchiveFixture.RANDOM)
                        .setProvider(BC));
        generator.addMethod(new JcePBEKeyEncryptionMethodGenerator(
                        ArchiveFixture.PASSWORD, new S2K.Argon2Params(1, 1, 10, ArchiveFixture.RANDOM))
                .setProvider(BC));
        try (OutputStream out = generator.open(encrypted, new byte[4096]);
                OutputStream literal = new PGPLiteralDataGenerator()
                        .open(out, PGPLiteralData.BINARY, "account.tar", new java.util.Date(), new byte[4096])) {
            fixture.filesAnd(tar -> {}).writeTo(literal);
        }
        Path archive = ArchiveFixture.packed(
                dir.resolve("argon2.tar"), fixture.identity(), fixture.privateKey(), encrypted.toByteArray());
        assertRefused(archive, "damaged");
    }

    @Test
    void aLongNameHeaderOfManyMegabytesIsRefusedWithoutReadingItWhole() throws IOException {
        // commons-compress reads a GNU long name whole into memory: 64 MiB of name (compressing to little) would
        // be held as a byte array and a String before any check of ours saw the entry.
        Path archive = ArchiveFixture.crafted(
                dir.resolve("long-name.tar"), fixture.identity(), fixture.privateKey(), fixture.filesAnd(tar -> {
                    long size = 64L << 20;
                    TarArchiveEntry longName =
                            new TarArchiveEntry(TarConstants.GNU_LONGLINK, TarConstants.LF_GNUTYPE_LONGNAME, true);
                    longName.setSize(size);
                    tar.putArchiveEntry(longName);
                    byte[] name = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                    for (long written = 0; written < size; written += name.length) {
                        tar.write(name);
                    }
                    tar.closeArchiveEntry();
                    TarArchiveEntry named = new TarArchiveEntry(ArchiveFixture.PHOTO + "b", true);
                    tar.putArchiveEntry(named);
                    tar.closeArchiveEntry();
                }));
        assertRefused(archive, "too-large");
    }

    @Test
    void aSparseOrDeviceEntryIsRefused() throws IOException {
        for (byte type : new byte[] {TarConstants.LF_GNUTYPE_SPARSE, TarConstants.LF_FIFO, TarConstants.LF_CHR}) {
            Path archive = ArchiveFixture.crafted(
                    dir.resolve("type-" + type + ".tar"),
                    fixture.identity(),
                    fixture.privateKey(),
                    fixture.filesAnd(tar -> {
                        TarArchiveEntry entry = new TarArchiveEntry(FolderFormat.fileOf("contacts"), type, true);
                        tar.putArchiveEntry(entry);
                        tar.closeArchiveEntry();
                    }));
            assertRefused(archive, "unsafe-entry");
        }
    }

    @Test
    void anUnknownPasswordPacketVersionIsDamagedNotAnError() throws IOException {
        // BouncyCastle answers an unknown packet version with a RuntimeException of its own.
        Path honest = fixture.archive(dir);
        byte[] data = entryOf(honest, ArchiveFormat.DATA);
        int version = data[0] == (byte) 0xc3 ? 2 : 1; // new-format header: tag byte, then a one-byte length
        data[version] = 9;
        Path archive = ArchiveFixture.packed(dir.resolve("v9.tar"), fixture.identity(), fixture.privateKey(), data);
        assertRefused(archive, "damaged");
    }

    @Test
    void accountDataOfAnotherAccountThanTheIdentityIsRefused() throws IOException {
        // Signed by its own key, the identity says olga; the data inside is of someone else.
        fixture.files.put(
                FolderFormat.ACCOUNT,
                ("{\"handle\":\"mallory@old.example\",\"guid\":\"" + ArchiveFixture.GUID + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        Path archive = ArchiveFixture.crafted(
                dir.resolve("other.tar"), fixture.identity(), fixture.privateKey(), fixture.filesAnd(tar -> {}));
        assertRefused(archive, "tampered");
    }

    @Test
    void anIdentityWithAHandleOfAnyOtherFormIsDamaged() throws IOException {
        for (String handle : new String[] {"olga@old.example/../x", "olga", "olga@old.example\nX-Header: 1"}) {
            ArchiveIdentity odd = fixture.identityWith(ArchiveFormat.VERSION, handle, fixture.keys.publicKeyPem());
            Path archive = ArchiveFixture.crafted(
                    dir.resolve("odd.tar"), odd, fixture.privateKey(), fixture.filesAnd(tar -> {}));
            assertRefused(archive, "damaged");
        }
    }

    private static byte[] entryOf(Path archive, String name) throws IOException {
        try (var tar =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new IllegalStateException(name + " is not in " + archive);
    }

    private void assertRefused(Path archive, String reason) {
        assertRefused(archive, ArchiveFixture.PASSWORD, reason);
    }

    private void assertRefused(Path archive, char[] password, String reason) {
        Path target = dir.resolve("opened");
        assertThatThrownBy(() -> ArchiveReader.open(archive, password, target, 1L << 30, 1L << 20))
                .isInstanceOfSatisfying(
                        ArchiveRefused.class,
                        refused -> assertThat(refused.reason())
                                .as(refused.getMessage())
                                .isEqualTo(reason));
        assertThat(target).doesNotExist();
    }

    private static void entry(
            org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar, String name, byte[] content)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
    }
}
