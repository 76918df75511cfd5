package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The lines of an ndjson file by their byte offsets, so the viewer keeps a small index in memory and reads each record
 * again only when it writes it. A missing file has no lines; a line that is no JSON object is passed over.
 */
final class ViewerLines {

    /** Where a record's line is in its file. */
    record Ref(long offset, int length) {}

    interface Handler {
        void record(JsonNode record, Ref ref) throws IOException;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** Records are at most 1 MiB; a longer line is no record of ours and is passed over without holding it. */
    private static final int MAX_LINE = 4 << 20;

    private ViewerLines() {}

    static void scan(Path file, Handler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            byte[] line = new byte[1 << 12];
            int length = 0;
            boolean tooLong = false;
            long start = 0;
            long position = 0;
            for (int read; (read = in.read(chunk)) > 0; ) {
                for (int i = 0; i < read; i++, position++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        if (!tooLong) {
                            handle(line, length, new Ref(start, length), handler);
                        }
                        length = 0;
                        tooLong = false;
                        start = position + 1;
                    } else if (!tooLong) {
                        if (length == MAX_LINE) {
                            tooLong = true;
                            continue;
                        }
                        if (length == line.length) {
                            line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
                        }
                        line[length++] = b;
                    }
                }
            }
            if (!tooLong) {
                handle(line, length, new Ref(start, length), handler);
            }
        }
    }

    /** Reads records again by where they are; opens its file only when asked for one. */
    static final class Reader implements Closeable {

        private final Path file;
        private FileChannel channel;

        Reader(Path file) {
            this.file = file;
        }

        /** The record at {@code ref}, or null when it is no longer a JSON object there. */
        JsonNode read(Ref ref) throws IOException {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            ByteBuffer bytes = ByteBuffer.allocate(ref.length());
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, ref.offset() + bytes.position()) < 0) {
                    return null;
                }
            }
            return parse(bytes.array(), ref.length());
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static void handle(byte[] line, int length, Ref ref, Handler handler) throws IOException {
        JsonNode record = parse(line, length);
        if (record != null) {
            handler.record(record, ref);
        }
    }

    private static JsonNode parse(byte[] line, int length) {
        if (length == 0) {
            return null;
        }
        try {
            JsonNode record = JSON.readTree(line, 0, length);
            return record != null && record.isObject() ? record : null;
        } catch (IOException e) {
            return null;
        }
    }
}
