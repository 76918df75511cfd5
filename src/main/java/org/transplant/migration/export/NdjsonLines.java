package org.transplant.migration.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of items as NDJSON in pieces of whole lines, about {@link #CHUNK} bytes each: large enough that a batch
 * is a few writes to the connection, small enough that no piece is a huge object for the collector. Quarkus REST
 * ends every element of an NDJSON {@code Multi} with a newline, so a piece carries the newlines between its lines
 * and not the one after its last.
 */
@ApplicationScoped
public class NdjsonLines {

    static final int CHUNK = 64 * 1024;

    private final ObjectWriter writer;

    public NdjsonLines(ObjectMapper json) {
        this.writer = json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    public List<Buffer> write(List<?> batch) {
        Pieces out = new Pieces();
        try {
            for (Object item : batch) {
                out.startLine();
                writer.writeValue(out, item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.pieces;
    }

    private static final class Pieces extends OutputStream {
        private final List<Buffer> pieces = new ArrayList<>();
        private Buffer current;

        void startLine() {
            if (current == null || current.length() >= CHUNK) {
                current = Buffer.buffer(CHUNK + 8 * 1024);
                pieces.add(current);
            } else {
                current.appendByte((byte) '\n');
            }
        }

        @Override
        public void write(int b) {
            current.appendByte((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            current.appendBytes(bytes, offset, length);
        }
    }
}
