package org.transplant.archive;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
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
import org.transplant.pod.reactive.LeaseHeartbeat;
import org.transplant.pod.reactive.OnePass;

/**
 * Writes the archives people asked for, one at a time per instance: the account is exported (with its key) to a
 * work folder under {@code <data>/archives}, packed, encrypted and signed into {@code <id>.tar} beside it, the
 * folder removed, the person mailed. A writer renews its lease while it works; a job whose writer died is taken
 * over when the lease runs out and written again from nothing under new names (at most {@link
 * Archives#MAX_ATTEMPTS} times); archives past their time are removed, and files no archive owns swept away.
 */
@ApplicationScoped
public class ArchiveMaker {

    private static final Logger LOG = Logger.getLogger(ArchiveMaker.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How often the folder is swept of files no archive owns. */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

    private final String owner = UUID.randomUUID().toString();
    private volatile Instant lastSweep;
    private final OnePass passes = new OnePass(LOG, "Archive writing");
    private final Archives archives;
    private final Accounts accounts;
    private final FolderExport export;
    private final SecretBox secrets;
    private final WorkerPool workers;
    private final PodMail mail;
    private final PodUrls urls;
    private final TransplantConfig config;
    private final Vertx vertx;

    public ArchiveMaker(
            Archives archives,
            Accounts accounts,
            FolderExport export,
            SecretBox secrets,
            WorkerPool workers,
            PodMail mail,
            PodUrls urls,
            TransplantConfig config,
            Vertx vertx) {
        this.vertx = vertx;
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
    Path fileOf(ArchiveJob job) {
        return folder().resolve(job.fileName());
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        passes.run(this::writeDue);
    }

    /** Writes every archive due, one after the other, then tidies up. */
    Uni<Void> writeDue() {
        return archives.claimNext(owner, config.archives().lease())
                .chain(claimed -> claimed == null ? tidy() : write(claimed).chain(this::writeDue));
    }

    private Uni<Void> write(Archives.Claimed claimed) {
        ArchiveJob job = claimed.job();
        String work = "work-" + job.id() + "." + job.attempts();
        Heartbeat heartbeat = new Heartbeat(job.id());
        return workers.files(() -> removeFilesOf(job.id()))
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
                            .invoke(mine -> heartbeat.still(mine))
                            .chain(() -> workers.run(() -> seal(job, work, identity, pem, claimed)));
                })
                .chain(written -> archives.ready(
                                job.id(),
                                owner,
                                written.bytes(),
                                written.sha256(),
                                written.dataSha256(),
                                config.archives().keep())
                        .chain(mine -> mine ? readyMail(job) : dropOwn(job, work)))
                .onFailure()
                .recoverWithUni(e -> {
                    if (!(e instanceof LeaseLost)) {
                        LOG.warnf(e, "The archive %s was not written", job.id());
                    }
                    return dropOwn(job, work)
                            .chain(() -> archives.failed(job.id(), owner, "The archive could not be written"))
                            .chain(mine ->
                                    mine ? failedMail(job) : Uni.createFrom().voidItem());
                })
                .eventually(heartbeat::stop);
    }

    /**
     * Keeps a writer's lease while it works (a large account takes longer than one lease), and tells it when
     * another instance took the job over, so that it stops rather than writing on.
     */
    private final class Heartbeat {
        private final LeaseHeartbeat beat;

        Heartbeat(String id) {
            beat = LeaseHeartbeat.start(
                    vertx,
                    config.archives().lease(),
                    () -> archives.renew(id, owner, config.archives().lease()),
                    e -> LOG.debugf(e, "The lease of the archive %s was not renewed", id));
        }

        /** Stops the writer (a {@link LeaseLost} failure) once its lease was found taken. */
        void still(boolean mine) {
            beat.held(mine);
            if (beat.lost()) {
                throw new LeaseLost();
            }
        }

        void stop() {
            beat.stop();
        }
    }

    /** This writer's lease ran out and another instance writes the archive now. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("another instance writes this archive now", null, false, false);
        }
    }

    /** The SHA-256 and size of the archive file as written. */
    private record Sealed(long bytes, String sha256, String dataSha256) {}

    private Sealed seal(ArchiveJob job, String work, ArchiveIdentity identity, String pem, Archives.Claimed claimed) {
        Path folder = folder().resolve(work);
        Path file = fileOf(job);
        char[] password = secrets.open(claimed.passwordSealed()).toCharArray();
        try {
            ArchiveIdentity sealed =
                    ArchiveWriter.write(folder, identity, KeyPairs.parsePrivateKey(pem), password, file, RANDOM);
            OwnerOnlyFiles.removeQuietly(folder);
            var digest = ArchiveWriter.sha256();
            try (var in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return new Sealed(Files.size(file), HexFormat.of().formatHex(digest.digest()), sealed.dataSha256());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Removes what this attempt wrote (its work folder, partials, archive), leaving other attempts' alone. */
    private Uni<Void> dropOwn(ArchiveJob job, String work) {
        return workers.files(() -> {
            OwnerOnlyFiles.removeQuietly(folder().resolve(work));
            OwnerOnlyFiles.removeQuietly(folder().resolve("." + work + ".partial"));
            for (String name : List.of(
                    job.fileName(), "." + job.fileName() + ".partial", "." + job.fileName() + ".data.partial")) {
                Files.deleteIfExists(folder().resolve(name));
            }
        });
    }

    /** Removes the account's archive {@code id} (404 for any other) and every file of it. */
    Uni<ArchiveJob> remove(long accountId, String id) {
        return archives.delete(accountId, id).call(job -> workers.files(() -> removeFilesOf(job.id())));
    }

    /** Removes every file of archive {@code id}, of any attempt. Blocking. */
    void removeFilesOf(String id) throws IOException {
        OwnerOnlyFiles.folder(folder());
        try (Stream<Path> entries = Files.list(folder())) {
            entries.filter(entry -> id.equals(idOf(entry.getFileName().toString())))
                    .forEach(OwnerOnlyFiles::removeQuietly);
        }
    }

    /** The archive id a name in the archives folder belongs to ({@code [.][work-]<id>.<attempt>...}). */
    static String idOf(String name) {
        String rest = name.startsWith(".") ? name.substring(1) : name;
        rest = rest.startsWith("work-") ? rest.substring("work-".length()) : rest;
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /**
     * Fails the jobs whose writers kept dying, removes the files of archives past their time (then marks them, so
     * a removal that failed is tried again), and now and then sweeps the folder of whatever no archive owns.
     */
    Uni<Void> tidy() {
        return archives.giveUp()
                .chain(failed -> failed.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : Multi.createFrom()
                                .iterable(failed)
                                .onItem()
                                .transformToUniAndConcatenate(this::failedMail)
                                .collect()
                                .last()
                                .replaceWithVoid())
                .chain(archives::pastTheirTime)
                .chain(expired -> Multi.createFrom()
                        .iterable(expired)
                        .onItem()
                        .transformToUniAndConcatenate(job -> workers.files(() -> Files.deleteIfExists(fileOf(job)))
                                .chain(() -> archives.expired(job.id()))
                                .onFailure()
                                .recoverWithUni(e -> {
                                    LOG.warnf(e, "The expired archive %s stays on disk for now", job.id());
                                    return Uni.createFrom().voidItem();
                                }))
                        .collect()
                        .last()
                        .replaceWithVoid())
                .chain(this::sweepNowAndThen);
    }

    private Uni<Void> sweepNowAndThen() {
        Instant now = Instant.now();
        if (lastSweep != null && lastSweep.plus(SWEEP_EVERY).isAfter(now)) {
            return Uni.createFrom().voidItem();
        }
        lastSweep = now;
        return sweep();
    }

    /**
     * Removes from the archives folder whatever no archive owns: files of archives deleted, failed or expired,
     * and of a ready archive every name but its file. The folder is listed before the archives are read, so that
     * an archive begun in between keeps its files.
     */
    Uni<Void> sweep() {
        return workers.run(() -> OwnerOnlyFiles.entries(folder()))
                .chain(entries -> archives.onDisk()
                        .chain(jobs -> workers.run(() -> {
                            Map<String, ArchiveJob> byId = new HashMap<>();
                            jobs.forEach(job -> byId.put(job.id(), job));
                            for (Path entry : entries) {
                                String name = entry.getFileName().toString();
                                ArchiveJob job = byId.get(idOf(name));
                                boolean owned = job != null
                                        && (job.state() != ArchiveJob.State.READY || name.equals(job.fileName()));
                                if (!owned) {
                                    OwnerOnlyFiles.removeQuietly(entry);
                                }
                            }
                            return null;
                        })));
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
