package org.transplant.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets a tar finish its blocks into a stream without closing the stream under it (an encryption still open). */
final class NotClosingOutput extends FilterOutputStream {

    NotClosingOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
