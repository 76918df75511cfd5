package org.transplant.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.List;

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

    interface FieldsHandler {
        /** @param texts the text of each field asked for, in the order asked, null where absent or no string */
        void record(String[] texts, Ref ref) throws IOException;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** Records are at most 1 MiB; a longer line is no record of ours and is passed over without holding it. */
    private static final int MAX_LINE = 4 << 20;

    private ViewerLines() {}

    static void scan(Path file, Handler handler) throws IOException {
        scanLines(file, (line, length, ref) -> {
            JsonNode record = parse(line, length);
            if (record != null) {
                handler.record(record, ref);
            }
        });
    }

    /**
     * As {@link #scan}, handing over only some top-level text fields: an index of a large file needs a post's guid and
     * time, not its comments, and tokens skipped cost far less than a tree built.
     */
    static void scanFields(Path file, FieldsHandler handler, String... names) throws IOException {
        List<String> wanted = List.of(names);
        scanLines(file, (line, length, ref) -> {
            String[] texts = topLevelTexts(line, length, wanted);
            if (texts != null) {
                handler.record(texts, ref);
            }
        });
    }

    private interface LineHandler {
        void line(byte[] line, int length, Ref ref) throws IOException;
    }

    private static void scanLines(Path file, LineHandler handler) throws IOException {
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
                            handler.line(line, length, new Ref(start, length));
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
                handler.line(line, length, new Ref(start, length));
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

    private static String[] topLevelTexts(byte[] line, int length, List<String> names) {
        if (length == 0) {
            return null;
        }
        String[] texts = new String[names.size()];
        try (JsonParser parser = JSON.getFactory().createParser(line, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int wanted = names.indexOf(parser.currentName());
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && wanted >= 0) {
                    texts[wanted] = parser.getText();
                }
                parser.skipChildren();
            }
            // Read to the end, so a line that is no whole record is passed over here as scan passes it over.
            return parser.nextToken() == null ? texts : null;
        } catch (IOException e) {
            return null;
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
