package org.transplant.diaspora;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A diaspora* "Download my data" file as its person uploads it: the gzip diaspora* serves ({@code
 * diaspora_<name>_data_<token>.json.gz}), the JSON unpacked, or a zip holding either (diaspora*'s own import takes
 * all three). Recognised by its first bytes, never by its name; opened as a stream of the JSON that refuses to give
 * more than a cap, so a small bomb cannot fill the disk or the heap.
 */
public final class DiasporaExportFile {

    /** What an uploaded file is, by its first bytes. */
    public enum Kind {
        GZIP,
        ZIP,
        JSON,
        /** A Transplant archive: a tar (its {@code ustar} magic at byte 257). */
        TRANSPLANT_ARCHIVE,
        UNKNOWN
    }

    /** The most entries a zip of the export may hold: diaspora* writes one; a few more are tolerated, not walked. */
    private static final int MAX_ZIP_ENTRIES = 16;

    private DiasporaExportFile() {}

    public static Kind kindOf(Path file) {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (n >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
            return Kind.TRANSPLANT_ARCHIVE;
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Kind.GZIP;
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return Kind.ZIP;
        }
        int i = n >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf ? 3 : 0;
        while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
            i++;
        }
        return i < n && head[i] == '{' ? Kind.JSON : Kind.UNKNOWN;
    }

    /**
     * The export's JSON, at most {@code maxBytes} of it (beyond that the stream fails with {@link DiasporaRefused}).
     * A zip must hold exactly one file named {@code *.json} or {@code *.json.gz}.
     */
    public static InputStream open(Path file, long maxBytes) throws IOException {
        Kind kind = kindOf(file);
        return switch (kind) {
            case GZIP -> capped(gunzip(Files.newInputStream(file)), maxBytes);
            case JSON -> capped(Files.newInputStream(file), maxBytes);
            case ZIP -> fromZip(file, maxBytes);
            default -> throw new DiasporaRefused("unknown-format", "The file is not a diaspora* export");
        };
    }

    private static InputStream fromZip(Path file, long maxBytes) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new DiasporaRefused("damaged", "The zip cannot be read: it is damaged or incomplete");
        }
        try {
            ZipEntry found = null;
            int entries = 0;
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry entry = all.nextElement();
                if (++entries > MAX_ZIP_ENTRIES) {
                    throw new DiasporaRefused("damaged", "The zip holds more than " + MAX_ZIP_ENTRIES + " files");
                }
                String name = entry.getName().toLowerCase(Locale.ROOT);
                if (!entry.isDirectory() && (name.endsWith(".json") || name.endsWith(".json.gz"))) {
                    if (found != null) {
                        throw new DiasporaRefused(
                                "damaged", "The zip holds more than one export; upload the one you mean");
                    }
                    found = entry;
                }
            }
            if (found == null) {
                throw new DiasporaRefused("damaged", "The zip holds no diaspora* export (a .json or .json.gz file)");
            }
            InputStream in = zip.getInputStream(found);
            if (found.getName().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                in = gunzip(in);
            }
            ZipFile open = zip;
            return new FilterInputStream(capped(in, maxBytes)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        open.close();
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static InputStream gunzip(InputStream in) throws IOException {
        try {
            return new GZIPInputStream(new BufferedInputStream(in, 64 * 1024), 64 * 1024);
        } catch (ZipException | java.io.EOFException e) {
            in.close();
            throw new DiasporaRefused("damaged", "The gzip file is damaged or incomplete");
        }
    }

    private static InputStream capped(InputStream in, long maxBytes) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (java.io.EOFException | ZipException e) {
                    throw new DiasporaRefused("damaged", "The export is damaged or incomplete (it ends too soon)");
                }
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > maxBytes) {
                    throw new DiasporaRefused(
                            "too-large", "The export unpacks to more than this pod takes (" + maxBytes + " bytes)");
                }
            }
        };
    }
}
