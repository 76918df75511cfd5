package org.transplant.archive;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.export.FolderExport;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Accounts;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.mail.PodMail;
import org.transplant.pod.reactive.OnePass;

/**
 * Writes the archives people asked for, one at a time per instance: the account is exported (with its key) to a
 * work folder under {@code <data>/archives}, packed, encrypted and signed into {@code <id>.tar} beside it, the
 * folder removed, the person mailed. A job whose writer died is taken over when its lease runs out and starts
 * again from nothing; archives past their time are removed.
 */
@ApplicationScoped
public class ArchiveMaker {

    private static final Logger LOG = Logger.getLogger(ArchiveMaker.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String owner = UUID.randomUUID().toString();
    private final OnePass passes = new OnePass(LOG, "Archive writing");
    private final Archives archives;
    private final Accounts accounts;
    private final FolderExport export;
    private final SecretBox secrets;
    private final WorkerPool workers;
    private final PodMail mail;
    private final PodUrls urls;
    private final TransplantConfig config;

    public ArchiveMaker(
            Archives archives,
            Accounts accounts,
            FolderExport export,
            SecretBox secrets,
            WorkerPool workers,
            PodMail mail,
            PodUrls urls,
            TransplantConfig config) {
        this.archives = archives;
        this.accounts = accounts;
        this.export = export;
        this.secrets = secrets;
        this.workers = workers;
        this.mail = mail;
        this.urls = urls;
        this.config = config;
    }

    /** Where the archives and their work folders live. */
    Path folder() {
        return Path.of(config.dataDir(), "archives").toAbsolutePath();
    }

    /** The archive file of a job. */
    Path fileOf(String id) {
        return folder().resolve(id + ".tar");
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        passes.run(this::writeDue);
    }

    /** Writes every archive due, one after the other, then removes those past their time. */
    Uni<Void> writeDue() {
        return archives.claimNext(owner, config.archives().lease())
                .chain(claimed ->
                        claimed == null ? removeExpired() : write(claimed).chain(this::writeDue));
    }

    private Uni<Void> write(Archives.Claimed claimed) {
        ArchiveJob job = claimed.job();
        String work = "work-" + job.id();
        return workers.run(() -> {
                    clearLeftovers(job.id(), work);
                    return null;
                })
                .chain(() -> accounts.keyHolder(job.accountId()))
                .chain(holder -> {
                    String pem = secrets.open(holder.privateKeySealed());
                    FolderExport.Contents contents =
                            new FolderExport.Contents(pem, job.photos() == PhotoChoice.INCLUDED);
                    ArchiveIdentity identity = new ArchiveIdentity(
                            ArchiveFormat.VERSION,
                            urls.handleOf(holder.username()),
                            holder.guid(),
                            holder.publicKeyPem(),
                            Instant.now(),
                            job.photos(),
                            null,
                            0);
                    return export.export(job.accountId(), holder.username(), folder(), work, contents)
                            .chain(() -> archives.step(
                                    job.id(),
                                    owner,
                                    "encrypting",
                                    config.archives().lease()))
                            .chain(() -> workers.run(() -> seal(job.id(), work, identity, pem, claimed)));
                })
                .chain(written -> archives.ready(
                                job.id(),
                                owner,
                                written.bytes(),
                                written.sha256(),
                                config.archives().keep())
                        .chain(mine -> mine ? readyMail(job) : Uni.createFrom().voidItem()))
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.warnf(e, "The archive %s was not written", job.id());
                    return workers.run(() -> {
                                clearLeftovers(job.id(), work);
                                return null;
                            })
                            .chain(() -> archives.failed(job.id(), owner, "The archive could not be written"))
                            .chain(mine ->
                                    mine ? failedMail(job) : Uni.createFrom().voidItem());
                });
    }

    /** The SHA-256 and size of the archive file as written. */
    private record Sealed(long bytes, String sha256) {}

    private Sealed seal(String id, String work, ArchiveIdentity identity, String pem, Archives.Claimed claimed) {
        Path folder = folder().resolve(work);
        Path file = fileOf(id);
        char[] password = secrets.open(claimed.passwordSealed()).toCharArray();
        try {
            ArchiveWriter.write(folder, identity, KeyPairs.parsePrivateKey(pem), password, file, RANDOM);
            ArchiveReader.removeQuietly(folder);
            var digest = ArchiveWriter.sha256();
            try (var in = new java.security.DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return new Sealed(Files.size(file), HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** What a writer that died left: the work folder, its partial twin, a partial or whole archive file. */
    private void clearLeftovers(String id, String work) {
        try {
            OwnerOnlyFiles.folder(folder());
            ArchiveReader.removeQuietly(folder().resolve(work));
            ArchiveReader.removeQuietly(folder().resolve("." + work + ".partial"));
            Files.deleteIfExists(fileOf(id));
            Files.deleteIfExists(folder().resolve("." + id + ".tar.partial"));
            Files.deleteIfExists(folder().resolve("." + id + ".tar.data.partial"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Uni<Void> removeExpired() {
        return archives.expire()
                .chain(ids -> workers.run(() -> {
                    for (String id : ids) {
                        try {
                            Files.deleteIfExists(fileOf(id));
                        } catch (IOException e) {
                            LOG.warnf(e, "The expired archive %s stays on disk", id);
                        }
                    }
                    return null;
                }));
    }

    private Uni<Void> readyMail(ArchiveJob job) {
        return mail.toOwner(
                job.accountId(),
                "Your account archive is ready",
                "The archive of your account you asked for is written. Download it, signed in to this pod, from\n\n"
                        + urls.url("/api/v1/archives/" + job.id() + "/file") + "\n\n"
                        + "It opens with the password you chose, on any Transplant pod (\"Import an archive\"),"
                        + " or by hand with tar and gpg. It is removed from this pod after "
                        + config.archives().keep().toDays() + " days.");
    }

    private Uni<Void> failedMail(ArchiveJob job) {
        return mail.toOwner(
                job.accountId(),
                "Your account archive could not be written",
                "The archive of your account you asked for could not be written. Nothing of it is kept;"
                        + " you can ask for a new one.");
    }
}
