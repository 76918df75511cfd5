package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A collection's records as pages arrive, one per line, appended and flushed to disk before the checkpoint that
 * names its length: a pull killed after the append but before the checkpoint cuts the file back to that length, so
 * no record is written twice.
 */
final class Journal implements AutoCloseable {

    private final FileChannel channel;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens the journal cut back to {@code length}, the length the last checkpoint recorded. */
    static Journal open(Path file, long length) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(length);
        channel.position(length);
        return new Journal(channel);
    }

    void append(Iterable<JsonNode> records) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (JsonNode record : records) {
            lines.append(BackupJson.line(record)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    long length() throws IOException {
        return channel.position();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
