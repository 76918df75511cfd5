package org.transplant.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.migration.api.FolderFormat;

/** An archive opens into the very folder it was made of, with the password, here and with Debian's gpg. */
class ArchiveRoundTripTest {

    @TempDir
    Path dir;

    final ArchiveFixture fixture = new ArchiveFixture();

    @Test
    void anArchiveOpensIntoTheFolderItWasMadeOf() throws IOException {
        Path archive = fixture.archive(dir);

        ArchiveReader.Opened opened =
                ArchiveReader.open(archive, ArchiveFixture.PASSWORD, dir.resolve("opened"), 1L << 30, 1L << 20);

        assertThat(opened.identity().handle()).isEqualTo("olga@old.example");
        assertThat(opened.identity().photos()).isEqualTo(PhotoChoice.INCLUDED);
        assertThat(opened.privateKeyPem()).isEqualTo(fixture.keys.privateKeyPem());
        for (Map.Entry<String, byte[]> file : fixture.files.entrySet()) {
            assertThat(opened.folder().resolve(file.getKey())).hasBinaryContent(file.getValue());
        }
        assertThat(opened.folder().resolve(FolderFormat.MANIFEST))
                .hasSameBinaryContentAs(dir.resolve("export").resolve(FolderFormat.MANIFEST));
        // The key lies in clear in the opened folder: the pod's user alone may read it, whatever the umask.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(opened.folder())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(opened.folder().resolve(FolderFormat.KEY))))
                .isEqualTo("rw-------");
    }

    @Test
    void theIdentityIsPlainAndTheAccountIsNot() throws Exception {
        Path archive = fixture.archive(dir);
        Path unpacked = Files.createDirectory(dir.resolve("by-hand"));
        run(unpacked, "tar", "xf", archive.toString());

        assertThat(Files.readString(unpacked.resolve(ArchiveFormat.IDENTITY)))
                .contains("olga@old.example", "BEGIN PUBLIC KEY", ArchiveFormat.VERSION);
        byte[] data = Files.readAllBytes(unpacked.resolve(ArchiveFormat.DATA));
        String asText = new String(data, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain("hello", "PRIVATE KEY", "posts.ndjson");
    }

    @Test
    void debiansGpgOpensTheEncryptedPartWithThePassword() throws Exception {
        Path archive = fixture.archive(dir);
        Path unpacked = Files.createDirectory(dir.resolve("by-hand"));
        Path home = Files.createDirectory(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        run(unpacked, "tar", "xf", archive.toString());
        Files.writeString(dir.resolve("password"), new String(ArchiveFixture.PASSWORD));

        run(
                unpacked,
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase-file",
                dir.resolve("password").toString(),
                "--output",
                "account.tar",
                "--decrypt",
                ArchiveFormat.DATA);
        Path inner = Files.createDirectory(unpacked.resolve("account"));
        run(inner, "tar", "xf", unpacked.resolve("account.tar").toString());

        for (Map.Entry<String, byte[]> file : fixture.files.entrySet()) {
            assertThat(inner.resolve(file.getKey())).hasBinaryContent(file.getValue());
        }
    }

    /** Runs a command in {@code dir}; fails with its output unless it ends with 0. */
    static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ":\n" + output)
                .isZero();
        return output;
    }
}
