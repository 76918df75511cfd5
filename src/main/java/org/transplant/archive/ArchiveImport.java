package org.transplant.archive;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.diaspora.DiasporaExportFile;
import org.transplant.diaspora.DiasporaImport;
import org.transplant.federation.OldIdentityCheck;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.importer.FolderImport;
import org.transplant.migration.importer.ImportSources;
import org.transplant.migration.importer.OpenedArchives;
import org.transplant.pod.Handle;
import org.transplant.pod.account.SignUp;
import org.transplant.pod.account.SignUpRules;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Turns an uploaded archive into an account here: the archive is opened with its password into a folder of its own
 * under the exports directory (refused, with its reason and nothing written, unless it is whole, untampered and
 * signed by the key inside it), its identity is held against what the network knows of it, and the folder is
 * imported by the folder pipeline as a job whose old identity the signature proves.
 */
@ApplicationScoped
public class ArchiveImport {

    private static final Logger LOG = Logger.getLogger(ArchiveImport.class);

    /** An archive to import (an upload's id, or a file the request brought) and the new account. */
    public record Request(
            String upload,
            Path file,
            String photosUpload,
            Path photosFile,
            String archivePassword,
            String username,
            String email,
            String password) {
        @Override
        public String toString() {
            return "Request[upload=" + upload + ", username=" + username + "]";
        }
    }

    private final ArchiveUploads uploads;
    private final FolderImport folders;
    private final ImportSources sources;
    private final OldIdentityCheck identity;
    private final DiasporaImport diaspora;
    private final BackupImport backups;
    private final WorkerPool workers;
    private final TransplantConfig config;
    private final PrivateKeyVault vault;

    public ArchiveImport(
            ArchiveUploads uploads,
            FolderImport folders,
            ImportSources sources,
            OldIdentityCheck identity,
            DiasporaImport diaspora,
            BackupImport backups,
            WorkerPool workers,
            TransplantConfig config,
            PrivateKeyVault vault) {
        this.vault = vault;
        this.uploads = uploads;
        this.folders = folders;
        this.sources = sources;
        this.identity = identity;
        this.diaspora = diaspora;
        this.backups = backups;
        this.workers = workers;
        this.config = config;
    }

    public Uni<FolderImport.Started> start(Request request) {
        String username =
                request.username() == null ? "" : request.username().trim().toLowerCase(Locale.ROOT);
        // The cheap checks first: opening an archive costs a password hash of 65 MB.
        SignUpRules.check(new SignUp(username, request.password(), request.email()), config.accounts());
        if ((request.upload() == null) == (request.file() == null)) {
            throw ProblemException.badRequest(
                    "missing-archive", "Send the archive as the archive part, or name a finished upload as upload");
        }
        if (request.photosUpload() != null && request.photosFile() != null) {
            throw ProblemException.badRequest(
                    "two-photos-files", "Send the photos zip as the photos part, or name its upload as photosUpload");
        }
        return file(request.upload(), request.file())
                .chain(file -> workers.run(() -> kindOf(file)).chain(kind -> switch (kind) {
                    case ARCHIVE -> {
                        if (request.photosUpload() != null || request.photosFile() != null) {
                            throw ProblemException.invalid(
                                    "photos", "comes only with a diaspora* export; an archive holds its photos");
                        }
                        yield startArchive(request, file, username);
                    }
                    case BACKUP -> {
                        if (request.photosUpload() != null || request.photosFile() != null) {
                            throw ProblemException.invalid(
                                    "photos", "comes only with a diaspora* export; a backup holds its photos");
                        }
                        // A backup is not encrypted: an archive password sent along is not needed, and
                        // ignored.
                        yield backups.start(
                                new BackupImport.Request(file, username, request.email(), request.password()));
                    }
                    case DIASPORA ->
                        file(request.photosUpload(), request.photosFile())
                                .chain(photos -> diaspora.start(new DiasporaImport.Request(
                                        file, photos, username, request.email(), request.password())));
                    default ->
                        throw refusal(
                                "unknown-format",
                                "The file is neither a Transplant account archive, a Transplant backup nor a"
                                        + " diaspora* export"
                                        + " (diaspora_…_data_….json.gz)");
                }))
                // The account exists now: an upload that cannot be removed is left to the expiry sweep.
                .call(() -> removed(request.upload()))
                .call(() -> removed(request.photosUpload()));
    }

    /** What an uploaded file is. */
    private enum Kind {
        ARCHIVE,
        BACKUP,
        DIASPORA,
        UNKNOWN
    }

    /**
     * What an upload is, by its first bytes ({@link DiasporaExportFile#kindOf}: a tar is an archive; a gzip, a zip or
     * JSON an export), a zip then by its entries: one with a top-level {@code manifest.json} is a backup.
     */
    private static Kind kindOf(Path file) {
        return switch (DiasporaExportFile.kindOf(file)) {
            case TRANSPLANT_ARCHIVE -> Kind.ARCHIVE;
            case ZIP -> BackupZip.isBackup(file) ? Kind.BACKUP : Kind.DIASPORA;
            case GZIP, JSON -> Kind.DIASPORA;
            case UNKNOWN -> Kind.UNKNOWN;
        };
    }

    private Uni<FolderImport.Started> startArchive(Request request, Path file, String username) {
        if (request.archivePassword() == null || request.archivePassword().isEmpty()) {
            throw ProblemException.invalid("archivePassword", "is required: the password the archive was made with");
        }
        String name = OpenedArchives.newName();
        Path target = sources.folders().resolve(name);
        return folders.requireFree(username)
                .chain(() -> workers.run(() -> open(file, request.archivePassword(), target)))
                .chain(opened -> identity.check(
                                Handle.parse("handle", opened.identity().handle()),
                                opened.identity().publicKeyPem(),
                                "archive")
                        .chain(verdict -> folders.startOpenedArchive(
                                new FolderImport.Request(name, username, request.email(), request.password()),
                                new FolderImport.FromArchive(
                                        vault.seal(opened.privateKeyPem()),
                                        verdict == OldIdentityCheck.Verdict.MATCHED,
                                        opened.identity().photos() == PhotoChoice.LINKED,
                                        opened.identity().dataSha256())))
                        .onFailure()
                        .call(() -> workers.run(() -> {
                            OwnerOnlyFiles.removeQuietly(target);
                            return null;
                        })));
    }

    private Uni<Void> removed(String upload) {
        return upload == null
                ? Uni.createFrom().voidItem()
                : uploads.remove(upload)
                        .onFailure()
                        .invoke(e -> LOG.warnf("Upload %s imported but not removed: %s", upload, e.getMessage()))
                        .onFailure()
                        .recoverWithNull();
    }

    /** The file a request brought, or the file of a finished upload it names; null when it names neither. */
    private Uni<Path> file(String upload, Path file) {
        if (file != null || upload == null) {
            return Uni.createFrom().item(file);
        }
        return uploads.get(upload).map(found -> {
            if (!found.whole()) {
                throw ProblemException.conflict(
                        "upload-unfinished",
                        "The upload holds " + found.received() + " of its " + found.bytes() + " bytes; finish it");
            }
            return uploads.fileOf(found.id());
        });
    }

    /**
     * Opens the archive into {@code target}; the key inside leaves the disk at once (it signs the move notices, kept
     * sealed with the job until then; the new account has a key of its own).
     */
    private ArchiveReader.Opened open(Path file, String password, Path target) {
        try {
            OwnerOnlyFiles.folder(target.getParent());
            ArchiveReader.Opened opened = ArchiveReader.open(
                    file,
                    password.toCharArray(),
                    target,
                    config.archives().maxUnpackedBytes(),
                    config.photos().maxBytes());
            withoutKey(opened.folder());
            return opened;
        } catch (ArchiveRefused refused) {
            throw refusal(refused.reason(), refused.getMessage());
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            OwnerOnlyFiles.removeQuietly(target);
            throw refusal("damaged", "The archive is damaged or incomplete: its manifest cannot be read");
        } catch (IOException e) {
            OwnerOnlyFiles.removeQuietly(target);
            throw new IllegalStateException("cannot open the archive", e);
        }
    }

    /**
     * Removes the old private key from the opened folder, and from its manifest (checked already, with the whole
     * archive): the new account has a key of its own, and a key in clear has no business on this disk.
     */
    private static void withoutKey(Path folder) throws IOException {
        Path manifest = folder.resolve(FolderFormat.MANIFEST);
        JsonObject listed = new JsonObject(Files.readString(manifest, StandardCharsets.UTF_8));
        listed.getJsonObject("files").remove(FolderFormat.KEY);
        Files.writeString(manifest, listed.encodePrettily(), StandardCharsets.UTF_8);
        Files.delete(folder.resolve(FolderFormat.KEY));
    }

    static ProblemException refusal(String reason, String message) {
        return new ProblemException(Problem.of(422, "archive-" + reason, "Archive refused", message));
    }
}
