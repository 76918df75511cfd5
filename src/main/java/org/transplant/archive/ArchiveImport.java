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
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.federation.PersonKeys;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.importer.FolderImport;
import org.transplant.migration.importer.ImportSources;
import org.transplant.migration.importer.OpenedArchives;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.SignUp;
import org.transplant.pod.account.SignUpRules;
import org.transplant.pod.crypto.KeyPairs;
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
            String upload, Path file, String archivePassword, String username, String email, String password) {
        @Override
        public String toString() {
            return "Request[upload=" + upload + ", username=" + username + "]";
        }
    }

    private final ArchiveUploads uploads;
    private final FolderImport folders;
    private final ImportSources sources;
    private final AccountService accounts;
    private final PersonKeys keys;
    private final WebFingerClient webFinger;
    private final WorkerPool workers;
    private final TransplantConfig config;
    private final PrivateKeyVault vault;
    private final PodUrls urls;

    public ArchiveImport(
            ArchiveUploads uploads,
            FolderImport folders,
            ImportSources sources,
            AccountService accounts,
            PersonKeys keys,
            WebFingerClient webFinger,
            WorkerPool workers,
            TransplantConfig config,
            PrivateKeyVault vault,
            PodUrls urls) {
        this.urls = urls;
        this.vault = vault;
        this.uploads = uploads;
        this.folders = folders;
        this.sources = sources;
        this.accounts = accounts;
        this.keys = keys;
        this.webFinger = webFinger;
        this.workers = workers;
        this.config = config;
    }

    public Uni<FolderImport.Started> start(Request request) {
        String username =
                request.username() == null ? "" : request.username().trim().toLowerCase(Locale.ROOT);
        // The cheap checks first: opening an archive costs a password hash of 65 MB.
        SignUpRules.check(new SignUp(username, request.password(), request.email()), config.accounts());
        if (request.archivePassword() == null || request.archivePassword().isEmpty()) {
            throw ProblemException.invalid("archivePassword", "is required: the password the archive was made with");
        }
        if ((request.upload() == null) == (request.file() == null)) {
            throw ProblemException.badRequest(
                    "missing-archive", "Send the archive as the archive part, or name a finished upload as upload");
        }
        String name = OpenedArchives.newName();
        Path target = sources.folders().resolve(name);
        return accounts.isAvailable(username)
                .invoke(free -> {
                    if (!free) {
                        throw ProblemException.conflict(
                                "username-taken", "The username " + username + " is taken on this pod");
                    }
                })
                .chain(() -> archiveFile(request))
                .chain(file -> workers.run(() -> open(file, request.archivePassword(), target)))
                .chain(opened -> heldAgainstTheNetwork(opened.identity())
                        .chain(matched -> folders.startOpenedArchive(
                                new FolderImport.Request(name, username, request.email(), request.password()),
                                new FolderImport.FromArchive(
                                        vault.seal(opened.privateKeyPem()),
                                        matched,
                                        opened.identity().photos() == PhotoChoice.LINKED,
                                        opened.identity().dataSha256())))
                        .onFailure()
                        .call(() -> workers.run(() -> {
                            OwnerOnlyFiles.removeQuietly(target);
                            return null;
                        })))
                // The account exists now: an upload that cannot be removed is left to the expiry sweep.
                .call(() -> request.upload() == null
                        ? Uni.createFrom().voidItem()
                        : uploads.remove(request.upload())
                                .onFailure()
                                .invoke(e -> LOG.warnf(
                                        "Upload %s imported but not removed: %s", request.upload(), e.getMessage()))
                                .onFailure()
                                .recoverWithNull());
    }

    private Uni<Path> archiveFile(Request request) {
        if (request.file() != null) {
            return Uni.createFrom().item(request.file());
        }
        return uploads.get(request.upload()).map(upload -> {
            if (!upload.whole()) {
                throw ProblemException.conflict(
                        "upload-unfinished",
                        "The upload holds " + upload.received() + " of its " + upload.bytes() + " bytes; finish it");
            }
            return uploads.fileOf(upload.id());
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

    /**
     * Refuses an archive whose identity the network knows otherwise: a key this pod already holds for the old
     * handle, or the one the old pod serves, must be the archive's; an account this pod was told moved, or whose old
     * pod says so, is refused too, and so is a handle of this very pod. Answers whether the archive's key matched a key so
     * known: an archive is signed by the key it carries, so only a match proves the old identity here (its
     * conversations); an old pod that does not answer (it died) or serves no key proves nothing, and the contacts'
     * pods check the move notices with the key they hold themselves.
     */
    private Uni<Boolean> heldAgainstTheNetwork(ArchiveIdentity identity) {
        Handle handle = Handle.parse("handle", identity.handle());
        String local = urls.localUsername(handle);
        return keys.movedTo(handle)
                .invoke(movedTo -> {
                    if (movedTo != null) {
                        throw alreadyMoved();
                    }
                })
                .chain(() -> keys.held(handle))
                .invoke(held -> requireSameKey(held, identity))
                .chain(held -> webFinger
                        .lookup(handle)
                        .onFailure(WebFingerClient.Unreachable.class)
                        .recoverWithNull()
                        .map(person -> {
                            String served = null;
                            if (person != null) {
                                if (person.property(WebFingerResource.PROP_MOVED_TO) != null) {
                                    throw alreadyMoved();
                                }
                                served = person.property(WebFingerResource.PROP_PUBLIC_KEY);
                                requireSameKey(served, identity);
                            }
                            return held != null || served != null;
                        }))
                .call(matched -> local == null
                        ? Uni.createFrom().voidItem()
                        : accounts.isAvailable(local).invoke(free -> {
                            if (!free) {
                                throw refusal(
                                        "local-account",
                                        "The archive is of an account of this very pod; it cannot move here");
                            }
                        }));
    }

    private static ProblemException alreadyMoved() {
        return refusal(
                "already-moved",
                "This account has moved already (its old pod says so, or this pod was told so); an archive cannot"
                        + " move it again");
    }

    private static void requireSameKey(String known, ArchiveIdentity identity) {
        if (known != null && !KeyPairs.samePublicKey(known, identity.publicKeyPem())) {
            throw refusal(
                    "bad-signature",
                    "The archive is signed by another key than the one " + identity.handle() + " is known by");
        }
    }

    static ProblemException refusal(String reason, String message) {
        return new ProblemException(Problem.of(422, "archive-" + reason, "Archive refused", message));
    }
}
