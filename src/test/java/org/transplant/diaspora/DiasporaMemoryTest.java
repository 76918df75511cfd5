package org.transplant.diaspora;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.transplant.diaspora.DiasporaExportGenerator.Generated;

/**
 * A 20,000-post export is read and converted in a heap smaller than it: the JVM doing it gets 32 MiB, where the JSON is
 * about half that and a tree of it (Jackson's nodes, Java strings) several times the JSON. It fails (out of memory)
 * the day a pass holds the whole document, or its list of posts, in memory.
 */
class DiasporaMemoryTest {

    static final String HEAP = "-Xmx32m";

    @Test
    void aTwentyThousandPostExportIsConvertedInASmallHeap() throws Exception {
        Path dir = Files.createTempDirectory("diaspora-memory-");
        Generated export = DiasporaExportGenerator.generate(DiasporaExportGenerator.Options.builder(dir)
                .posts(20_000)
                .commentsPerPost(0.2)
                .likesPerPost(0.2)
                .seed(20_000)
                .build());
        long json;
        try (InputStream in = DiasporaExportFile.open(export.dataFile(), Long.MAX_VALUE)) {
            json = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(json).as("the export's JSON is half the heap or more").isGreaterThan(14L << 20);

        Path folder = dir.resolve("folder");
        Process probe = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        HEAP,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName(),
                        export.dataFile().toString(),
                        folder.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output)
                .contains(
                        "posts=" + export.manifest().collections().get("posts").count());
        assertThat(output)
                .contains("comments="
                        + export.manifest().collections().get("comments").count());
    }

    /** Reads and converts an export as the import does, in its own JVM, and prints the counts. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Path export = Path.of(args[0]);
            Path folder = Path.of(args[1]);
            Path spool = folder.resolve("spool");
            DiasporaExportReader.Read read;
            try (InputStream in = DiasporaExportFile.open(export, Long.MAX_VALUE)) {
                read = DiasporaExportReader.read(in, spool);
            }
            Map<String, PublicKey> keys = new HashMap<>();
            read.exportedKeys.forEach((handle, pem) -> keys.put(handle, DiasporaKeys.publicKey(pem)));
            ObjectMapper json = new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            String owner = read.profile.path("entity_data").path("author").asText();
            DiasporaConverter.Converted converted = DiasporaConverter.convert(
                    new DiasporaConverter.Input(
                            read,
                            spool,
                            null,
                            folder,
                            owner,
                            DiasporaKeys.publicPem(DiasporaKeys.publicOf(DiasporaKeys.privateKey(read.privateKeyPem))),
                            keys,
                            Instant.parse("2026-03-01T00:00:00Z"),
                            "https://new.example/photos/",
                            10 << 20,
                            1L << 30),
                    json);
            Runtime runtime = Runtime.getRuntime();
            System.out.println("posts=" + converted.counts().get("posts") + " comments="
                    + converted.counts().get("comments") + " heap=" + (runtime.totalMemory() >> 20) + "MiB"
                    + " reported=" + converted.leftOut().size());
        }
    }
}
