package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fetches the bytes of every photo the backup lists and lacks: into a part file that a broken transfer resumes with
 * a range, never more than the size the record gives, moved into {@code photos/<guid>} only once its SHA-256 is the
 * record's. A photo that cannot be had is named in the manifest with the reason.
 */
final class PhotoFetch {

    /** The largest photo fetched, whatever its record says. */
    static final long MAX_PHOTO_BYTES = 64L << 20;

    private static final int ATTEMPTS = 3;

    private final BackupFolder folder;
    private final PodApi api;

    PhotoFetch(BackupFolder folder, PodApi api) {
        this.folder = folder;
        this.api = api;
    }

    record Result(int fetched, List<ObjectNode> missing) {}

    Result fetchMissing() throws IOException {
        Path list = folder.file(FolderLayout.fileOf("photos"));
        int fetched = 0;
        List<ObjectNode> missing = new ArrayList<>();
        if (!Files.isRegularFile(list)) {
            return new Result(0, missing);
        }
        try (BufferedReader lines = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                JsonNode photo = BackupJson.parse(line, "A line of photos.ndjson");
                String guid = BackupJson.text(photo, "guid");
                long size = photo.path("size").asLong(-1);
                String sha256 = BackupJson.text(photo, "sha256");
                if (!FolderLayout.isGuid(guid)) {
                    missing.add(missing("photo", Words.cut(guid, 70), "its guid is not one, so it has no file name"));
                    continue;
                }
                if (Files.isRegularFile(folder.photo(guid)) && Files.size(folder.photo(guid)) == size) {
                    continue;
                }
                if (size < 0 || size > MAX_PHOTO_BYTES || sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
                    missing.add(missing("photo", guid, "its record gives no usable size and SHA-256"));
                    continue;
                }
                String reason = fetch(guid, photo, size, sha256);
                if (reason == null) {
                    fetched++;
                    Progress.count("photos fetched", fetched, 0);
                } else {
                    missing.add(missing("photo", guid, reason));
                }
            }
        }
        if (fetched > 0) {
            Progress.note("photos: " + fetched + " fetched");
        }
        return new Result(fetched, missing);
    }

    /** Null when the photo is in place, else why not. */
    private String fetch(String guid, JsonNode photo, long size, String sha256) throws IOException {
        Path part = folder.state("parts").resolve(guid);
        URI uri = contentUri(guid, photo);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (have > size) {
                Files.delete(part);
                have = 0;
            }
            Map<String, String> headers = have > 0 && have < size
                    ? Map.of("Range", "bytes=" + have + "-", "Accept", "*/*")
                    : Map.of("Accept", "*/*");
            if (have < size || size == 0) {
                HttpResponse<InputStream> response = api.send(uri, headers);
                int status = response.statusCode();
                try (InputStream body = response.body()) {
                    if (status == 404) {
                        return "the pod does not serve it (404)";
                    }
                    if (status == 416) {
                        Files.deleteIfExists(part);
                        continue;
                    }
                    if (status != 200 && status != 206) {
                        return "the pod answered " + status;
                    }
                    boolean append = status == 206 && startsAt(response, have);
                    if (!append) {
                        have = 0;
                    }
                    copy(body, part, append, size - have);
                } catch (IOException e) {
                    // A transfer cut short: the next attempt resumes from what arrived.
                    continue;
                }
            }
            if (Files.size(part) == size) {
                if (sha256Of(part).equalsIgnoreCase(sha256)) {
                    BackupFolder.move(part, folder.photo(guid));
                    return null;
                }
                Files.delete(part);
            }
        }
        return "its bytes did not arrive whole with the SHA-256 its record gives";
    }

    private URI contentUri(String guid, JsonNode photo) {
        String content = BackupJson.text(photo, "content");
        if (content != null) {
            URI uri = URI.create(content);
            if (uri.isAbsolute() && PodApi.origin(uri).equals(PodApi.origin(api.resolve("/")))) {
                return uri;
            }
        }
        return api.resolve("/migration/v1/photos/" + guid + "/content");
    }

    private static boolean startsAt(HttpResponse<?> response, long have) {
        String range = response.headers().firstValue("Content-Range").orElse("");
        return range.startsWith("bytes " + have + "-");
    }

    /** Copies at most {@code room} bytes; a body longer than the record's size stops there (its digest then fails). */
    private static void copy(InputStream body, Path part, boolean append, long room) throws IOException {
        try (OutputStream out = Files.newOutputStream(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[64 * 1024];
            long left = room;
            for (int n; left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    static String sha256Of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode missing(String what, String guid, String reason) {
        ObjectNode entry = BackupJson.object();
        entry.put("what", what);
        if (guid != null) {
            entry.put("guid", guid);
        }
        entry.put("reason", reason);
        return entry;
    }
}
