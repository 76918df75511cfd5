package org.transplant.migration.api;

import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file of a folder ({@link FolderFormat}) being written, its SHA-256 and size counted as it goes for the manifest. */
public final class FolderFile implements AutoCloseable {
    private final MessageDigest digest;
    private final OutputStream out;
    private long bytes;

    public FolderFile(Path file) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
            OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            out = new DigestOutputStream(raw, digest) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    super.write(b, off, len);
                    bytes += len;
                }

                @Override
                public void write(int b) throws IOException {
                    super.write(b);
                    bytes++;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(byte[] b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stream itself, for a copy; what goes through it is counted too. */
    public OutputStream stream() {
        return out;
    }

    public long bytes() {
        return bytes;
    }

    /** The manifest's entry of this file: its SHA-256, size and record count, once everything is written. */
    public JsonObject entry(long records) {
        return new JsonObject()
                .put("sha256", HexFormat.of().formatHex(digest.digest()))
                .put("bytes", bytes)
                .put("records", records);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
