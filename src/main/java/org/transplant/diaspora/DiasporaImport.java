package org.transplant.diaspora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.transplant.config.TransplantConfig;
import org.transplant.federation.OldIdentityCheck;
import org.transplant.migration.importer.FolderImport;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.migration.importer.ImportSources;
import org.transplant.migration.importer.OpenedArchives;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.ProblemException;

/**
 * Turns a diaspora* "Download my data" export (and its photos zip) into an account here: the export is read and
 * checked as diaspora* checks it (a refusal names what is wrong, and writes nothing), its identity is held against
 * what the network knows of it, the signatures of others' comments and likes are checked with their authors' keys,
 * and it is converted into a folder the folder pipeline imports as a job, with what could not come along in the
 * job's report from the start.
 */
@ApplicationScoped
public class DiasporaImport {

    /** How many times its own size a file may unpack to at most, as for an archive. */
    static final long MAX_RATIO = 100;

    /** The export, its photos zip (or null), and the new account. */
    public record Request(Path export, Path photos, String username, String email, String password) {
        @Override
        public String toString() {
            return "Request[username=" + username + "]";
        }
    }

    /** What the first pass found: the export's small parts, its identity and the authors to look up. */
    private record Opened(
            DiasporaExportReader.Read read,
            Handle oldHandle,
            PrivateKey oldKey,
            String oldPublicKeyPem,
            Set<String> authors,
            Map<String, String> exportedKeys,
            Instant exportTime) {}

    private final FolderImport folders;
    private final ImportSources sources;
    private final OldIdentityCheck identity;
    private final AuthorKeys authorKeys;
    private final WorkerPool workers;
    private final TransplantConfig config;
    private final PrivateKeyVault vault;
    private final PodUrls urls;
    private final ObjectMapper json;

    public DiasporaImport(
            FolderImport folders,
            ImportSources sources,
            OldIdentityCheck identity,
            AuthorKeys authorKeys,
            WorkerPool workers,
            TransplantConfig config,
            PrivateKeyVault vault,
            PodUrls urls,
            ObjectMapper json) {
        this.folders = folders;
        this.sources = sources;
        this.identity = identity;
        this.authorKeys = authorKeys;
        this.workers = workers;
        this.config = config;
        this.vault = vault;
        this.urls = urls;
        this.json = json;
    }

    public Uni<FolderImport.Started> start(Request request) {
        // ArchiveImport, the one way in, has normalised the username and checked the sign-up already.
        String username = request.username();
        String name = OpenedArchives.newName();
        Path target = sources.folders().resolve(name);
        Path spool = target.resolve("spool");
        return folders.requireFree(username)
                .chain(() -> workers.run(() -> open(request.export(), spool)))
                .chain(opened -> identity.check(opened.oldHandle(), opened.oldPublicKeyPem(), "export")
                        .chain(verdict -> authorKeys
                                .find(
                                        opened.authors(),
                                        opened.exportedKeys(),
                                        config.archives().maxLookedUpAuthors())
                                .chain(found -> workers.run(() -> convert(request, opened, found, target, spool)))
                                .chain(converted -> {
                                    boolean dataOnly = verdict == OldIdentityCheck.Verdict.NOT_KNOWN;
                                    return folders.startOpenedArchive(
                                            new FolderImport.Request(
                                                    name, username, request.email(), request.password()),
                                            new FolderImport.FromArchive(
                                                    dataOnly
                                                            ? null
                                                            : vault.seal(DiasporaKeys.pkcs8Pem(opened.oldKey())),
                                                    verdict == OldIdentityCheck.Verdict.MATCHED,
                                                    false,
                                                    null,
                                                    FolderImport.Format.DIASPORA,
                                                    converted));
                                })))
                .onFailure()
                .call(() -> workers.run(() -> {
                    OwnerOnlyFiles.removeQuietly(target);
                    return null;
                }))
                // A start called off midway (the client went) takes its folder with it, not only the sweep.
                .onCancellation()
                .call(() -> workers.run(() -> {
                    OwnerOnlyFiles.removeQuietly(target);
                    return null;
                }))
                .onFailure(DiasporaRefused.class)
                .transform(e -> ((DiasporaRefused) e).problem());
    }

    /** The first pass: reads and checks the export, spooling its lists; the key and its owner are checked here. */
    private Opened open(Path export, Path spool) {
        try {
            OwnerOnlyFiles.folder(spool.getParent().getParent());
            Files.createDirectories(spool);
            DiasporaExportReader.Read read;
            try (InputStream in = DiasporaExportFile.open(export, unpackedCap(export))) {
                read = DiasporaExportReader.read(in, spool);
            }
            PrivateKey key;
            try {
                key = DiasporaKeys.privateKey(read.privateKeyPem);
            } catch (IllegalArgumentException e) {
                throw new DiasporaRefused(
                        "bad-key", "The export's private key cannot be read as an RSA key: " + e.getMessage());
            }
            Handle oldHandle = ownerOf(read);
            return new Opened(
                    read,
                    oldHandle,
                    key,
                    DiasporaKeys.publicPem(DiasporaKeys.publicOf(key)),
                    read.authors,
                    read.exportedKeys,
                    exportTime(export));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The most a file may unpack to: the pod's cap, and at most {@link #MAX_RATIO} times the file (so that a small
     * upload cannot hold the disk and the start's time for long; JSON and photos compress far less).
     */
    private long unpackedCap(Path file) {
        try {
            return Math.min(config.archives().maxUnpackedBytes(), Math.max(1L << 20, Files.size(file) * MAX_RATIO));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The export's owner, as diaspora* takes it: the author of its profile, who must be its username. */
    private static Handle ownerOf(DiasporaExportReader.Read read) {
        JsonNode author = read.profile.path("entity_data").path("author");
        Handle handle;
        try {
            handle = Handle.parse("author", author.isTextual() ? author.asText() : null);
        } catch (ProblemException e) {
            throw DiasporaRefused.malformed("its profile names no author like user@pod");
        }
        if (!handle.toString().startsWith(read.username.toLowerCase(Locale.ROOT) + "@")) {
            throw DiasporaRefused.malformed("its profile is of " + handle + ", not of its user "
                    + (read.username.length() > 64 ? read.username.substring(0, 64) + "…" : read.username));
        }
        return handle;
    }

    /**
     * When the export was made: diaspora* writes no time into it, but its gzip names when it was compressed (the
     * file's own time when it has none).
     */
    private static Instant exportTime(Path export) throws IOException {
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(export)) {
            if (in.readNBytes(head, 0, 8) == 8 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                long mtime =
                        (head[4] & 0xffL) | (head[5] & 0xffL) << 8 | (head[6] & 0xffL) << 16 | (head[7] & 0xffL) << 24;
                if (mtime > 0 && mtime * 1000 <= System.currentTimeMillis()) {
                    return Instant.ofEpochSecond(mtime);
                }
            }
        }
        Instant modified = Files.getLastModifiedTime(export).toInstant();
        return modified.isAfter(Instant.now()) ? Instant.now() : modified;
    }

    private List<LeftOut> convert(Request request, Opened opened, AuthorKeys.Found found, Path target, Path spool) {
        try {
            DiasporaConverter.Converted converted = DiasporaConverter.convert(
                    new DiasporaConverter.Input(
                            opened.read(),
                            spool,
                            request.photos(),
                            target,
                            opened.oldHandle().toString(),
                            opened.oldPublicKeyPem(),
                            found.keys(),
                            opened.exportTime(),
                            urls.url("/photos/"),
                            config.photos().maxBytes(),
                            request.photos() == null ? 0 : unpackedCap(request.photos())),
                    json);
            List<LeftOut> leftOut = new java.util.ArrayList<>(found.notes());
            leftOut.addAll(converted.leftOut());
            return leftOut;
        } finally {
            OwnerOnlyFiles.removeQuietly(spool);
        }
    }
}
