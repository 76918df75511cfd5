package org.transplant.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar read with a cap on its headers: commons-compress reads a GNU long name or a PAX record whole into memory,
 * so a hostile archive could name one entry with gigabytes. Each step to the next entry (its headers, long names,
 * PAX records and the padding of the entry before) may read at most {@link #MAX_HEADER_BYTES}; an entry's own
 * data is bounded by its caller.
 */
final class CappedTar implements AutoCloseable {

    /** The most bytes read to reach one entry's data. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Allowance in;
    private final TarArchiveInputStream tar;

    CappedTar(InputStream in) {
        this.in = new Allowance(in);
        this.tar = new TarArchiveInputStream(this.in);
    }

    /** The next entry, or null at the tar's end; {@link ArchiveRefused} (too-large) when its headers are too long. */
    TarArchiveEntry next() throws IOException {
        in.allow(MAX_HEADER_BYTES);
        TarArchiveEntry entry = tar.getNextEntry();
        in.allow(Long.MAX_VALUE);
        return entry;
    }

    /** The current entry's data. */
    InputStream data() {
        return tar;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    private static final class Allowance extends FilterInputStream {
        private long left = Long.MAX_VALUE;

        Allowance(InputStream in) {
            super(in);
        }

        void allow(long bytes) {
            left = bytes;
        }

        private void take(long n) {
            if (n > 0 && (left -= n) < 0) {
                throw ArchiveRefused.tooLarge(
                        "an entry's name or headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            take(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            take(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            take(skipped);
            return skipped;
        }
    }
}
