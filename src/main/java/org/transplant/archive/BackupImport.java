package org.transplant.archive;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.importer.FolderImport;
import org.transplant.migration.importer.ImportSources;
import org.transplant.migration.importer.OpenedArchives;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Turns a packed backup ({@link BackupZip}) into an account here, as an import of the data only: a backup holds no
 * private key, so it proves no old identity and signs nothing (no revocation to the old pod, no move notices, no
 * WebFinger alias), and the job says so from its start. It is unpacked into a folder of its own under the exports
 * directory, checked against its manifest like any folder, and imported by the folder pipeline, with what the
 * backup itself lacked (its manifest's {@code backup.missing}, and its span) in the job's report.
 */
@ApplicationScoped
public class BackupImport {

    /** The backup zip and the new account. */
    public record Request(Path backup, String username, String email, String password) {
        @Override
        public String toString() {
            return "Request[username=" + username + "]";
        }
    }

    private final FolderImport folders;
    private final ImportSources sources;
    private final WorkerPool workers;
    private final TransplantConfig config;

    public BackupImport(FolderImport folders, ImportSources sources, WorkerPool workers, TransplantConfig config) {
        this.folders = folders;
        this.sources = sources;
        this.workers = workers;
        this.config = config;
    }

    public Uni<FolderImport.Started> start(Request request) {
        // ArchiveImport, the one way in, has normalised the username and checked the sign-up already.
        String username = request.username();
        String name = OpenedArchives.newName();
        Path target = sources.folders().resolve(name);
        return folders.requireFree(username)
                .chain(() -> workers.run(() -> open(request.backup(), target)))
                .chain(opened -> folders.startOpenedArchive(
                        new FolderImport.Request(name, username, request.email(), request.password()),
                        new FolderImport.FromArchive(
                                null, false, false, null, FolderImport.Format.BACKUP, opened.leftOut())))
                .onFailure()
                .call(() -> removed(target))
                // A start called off midway (the client went) takes its folder with it, not only the sweep.
                .onCancellation()
                .call(() -> removed(target));
    }

    private Uni<Void> removed(Path target) {
        return workers.run(() -> {
            OwnerOnlyFiles.removeQuietly(target);
            return null;
        });
    }

    private BackupZip.Opened open(Path backup, Path target) {
        try {
            OwnerOnlyFiles.folder(target.getParent());
            return BackupZip.open(
                    backup, target, unpackedCap(backup), config.photos().maxBytes());
        } catch (ArchiveRefused refused) {
            throw refusal(refused.reason(), refused.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The most a backup may unpack to: the pod's cap, and at most {@link ArchiveFormat#MAX_UNPACK_RATIO} times it. */
    private long unpackedCap(Path file) throws IOException {
        return Math.min(
                config.archives().maxUnpackedBytes(),
                Math.max(1L << 20, Files.size(file) * ArchiveFormat.MAX_UNPACK_RATIO));
    }

    static ProblemException refusal(String reason, String message) {
        return new ProblemException(Problem.of(422, "backup-" + reason, "Backup refused", message));
    }
}
