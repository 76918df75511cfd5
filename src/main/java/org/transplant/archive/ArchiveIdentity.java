package org.transplant.archive;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.transplant.pod.Guids;
import org.transplant.pod.Handle;
import org.transplant.web.ProblemException;

/**
 * The plain part of an archive ({@code identity.json}): who the account was, when the archive was made, what it
 * did with the photos, and the size and SHA-256 of the encrypted part. Read only after its version is known.
 */
public record ArchiveIdentity(
        String format,
        String handle,
        String guid,
        String publicKeyPem,
        Instant createdAt,
        PhotoChoice photos,
        String dataSha256,
        long dataBytes) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** This identity with the encrypted part it seals. */
    public ArchiveIdentity sealing(String sha256, long bytes) {
        return new ArchiveIdentity(format, handle, guid, publicKeyPem, createdAt, photos, sha256, bytes);
    }

    public byte[] toBytes() {
        return new JsonObject()
                .put("format", format)
                .put("handle", handle)
                .put("guid", guid)
                .put("publicKey", publicKeyPem)
                .put("createdAt", createdAt.toString())
                .put("photos", photos.value())
                .put(
                        "data",
                        new JsonObject()
                                .put("file", ArchiveFormat.DATA)
                                .put("sha256", dataSha256)
                                .put("bytes", dataBytes))
                .encodePrettily()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code identity.json}; any version but a readable one, or any field missing, is refused. */
    public static ArchiveIdentity parse(byte[] bytes) {
        JsonObject json;
        try {
            json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw ArchiveRefused.damaged(ArchiveFormat.IDENTITY + " is not a JSON object");
        }
        if (!(json.getValue("format") instanceof String format) || !ArchiveFormat.READABLE.contains(format)) {
            throw new ArchiveRefused(
                    "unknown-version",
                    "The archive is of a format this pod does not read (it reads " + ArchiveFormat.READABLE + ")");
        }
        if (!(json.getValue("data") instanceof JsonObject data)
                || !(data.getValue("sha256") instanceof String sha256)
                || !SHA256.matcher(sha256).matches()
                || !(data.getValue("bytes") instanceof Number bytesOfData)) {
            throw ArchiveRefused.damaged(ArchiveFormat.IDENTITY + " does not describe the encrypted part");
        }
        String handle;
        try {
            handle = Handle.parse("handle", text(json, "handle")).toString();
        } catch (ProblemException e) {
            throw ArchiveRefused.damaged(ArchiveFormat.IDENTITY + " names no handle of the form user@host");
        }
        String guid = text(json, "guid");
        if (!Guids.isValid(guid)) {
            throw ArchiveRefused.damaged(ArchiveFormat.IDENTITY + " names no valid guid");
        }
        try {
            return new ArchiveIdentity(
                    format,
                    handle,
                    guid,
                    text(json, "publicKey"),
                    Instant.parse(text(json, "createdAt")),
                    PhotoChoice.of(text(json, "photos")),
                    sha256,
                    bytesOfData.longValue());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw ArchiveRefused.damaged(ArchiveFormat.IDENTITY + " has a field of the wrong form");
        }
    }

    private static String text(JsonObject json, String field) {
        if (!(json.getValue(field) instanceof String value) || value.isBlank() || value.length() > 16_384) {
            throw ArchiveRefused.damaged(ArchiveFormat.IDENTITY + " has no " + field);
        }
        return value;
    }
}
