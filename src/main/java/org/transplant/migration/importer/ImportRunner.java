package org.transplant.migration.importer;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.migration.api.ExportRecords.AccountRecord;
import org.transplant.migration.api.ExportRecords.ConversationRecord;
import org.transplant.migration.api.ExportRecords.MessageRecord;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.migration.importer.ImportJobs.Advance;
import org.transplant.migration.importer.ImportJobs.Restart;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.migration.importer.RecordCheck.PendingPost;
import org.transplant.outbound.OutboundRefused;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountStates;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.reactive.LeaseHeartbeat;
import org.transplant.pod.reactive.OnePass;
import org.transplant.pod.reactive.ReadAhead;

/**
 * Runs import jobs: claims a due job with a lease (any instance may, so a job outlives the instance that started
 * it), then reads the old pod collection by collection, page by page, each page written in one transaction with
 * the cursor that follows it. A failure of the old pod or the network waits and retries with back-off; a refusal
 * ends the job and says why. Last comes the move call, after which the old pod sends visitors here.
 */
@ApplicationScoped
public class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    /** The order a job reads the old pod in; "account" first (totals, profile), "move" last. */
    static final List<String> PHASES = Stream.of(List.of("account"), MigrationFormat.COLLECTIONS, List.of("move"))
            .flatMap(List::stream)
            .toList();

    /** Rounds of copying what changed on the old pod during the move, before it counts as never settling. */
    static final int MAX_DELTA_ROUNDS = 10;

    static final String DELTA_ROUNDS = "deltaRounds";

    private final String instance = UUID.randomUUID().toString();
    private final OnePass passes = new OnePass(LOG, "The import runner");
    private final Map<String, Prefetched> prefetched = new ConcurrentHashMap<>();
    private final Pool pool;
    private final ImportJobs jobs;
    private final ImportSources sources;
    private final ImportWriters writers;
    private final PhotoCopier photoCopier;
    private final PodUrls urls;
    private final ImportMail mail;
    private final ImportReport report;
    private final GuidClaims claims;
    private final TransplantConfig.Importer config;
    private final AccountStates states;
    private final OpenedArchives opened;
    /** Photos read ahead into their part files while a job copies its posts. */
    private final PhotosReadAhead photosAhead;

    private final Vertx vertx;
    /** The jobs this instance runs now: never claimed twice, at most {@code parallelJobs} of them. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public ImportRunner(
            Pool pool,
            ImportJobs jobs,
            ImportSources sources,
            ImportWriters writers,
            PhotoCopier photoCopier,
            PodUrls urls,
            ImportMail mail,
            ImportReport report,
            GuidClaims claims,
            TransplantConfig config,
            AccountStates states,
            OpenedArchives opened,
            PhotosReadAhead photosAhead,
            Vertx vertx) {
        this.vertx = vertx;
        this.photosAhead = photosAhead;
        this.opened = opened;
        this.states = states;
        this.report = report;
        this.claims = claims;
        this.pool = pool;
        this.jobs = jobs;
        this.sources = sources;
        this.writers = writers;
        this.photoCopier = photoCopier;
        this.urls = urls;
        this.mail = mail;
        this.config = config.importer();
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        wake();
    }

    /** Claims due jobs now, unless this instance is already claiming; each claimed job runs on its own. */
    public void wake() {
        passes.run(this::claimDue);
    }

    /**
     * Claims jobs while this instance has room, and starts each at once: jobs run side by side, so a slow or stuck
     * old pod holds up only its own job (each keeps its own lease).
     */
    private Uni<Void> claimDue() {
        if (running.size() >= config.parallelJobs()) {
            return Uni.createFrom().voidItem();
        }
        return claim().chain(job -> {
            if (job == null) {
                return Uni.createFrom().voidItem();
            }
            running.add(job.id());
            // A step may outlast the lease (a slow old pod's page, a page of large photos): another instance must
            // not take the job over meanwhile. The runner's verbs still check the lease, so a lost one ends the run.
            LeaseHeartbeat heartbeat = LeaseHeartbeat.start(
                    vertx,
                    config.lease(),
                    () -> jobs.renew(instance, job.id(), config.lease()),
                    e -> LOG.debugf(e, "The lease of import %s was not renewed", job.id()));
            // Deferred: whatever fails, even while the source is made, ends in onTermination below.
            Uni.createFrom()
                    .deferred(() -> sources.of(job))
                    .chain(source -> run(job, source))
                    .onTermination()
                    .invoke(() -> {
                        heartbeat.stop();
                        running.remove(job.id());
                        wake();
                    })
                    .subscribe()
                    .with(ignored -> {}, e -> LOG.errorf(e, "Import %s stopped on an unexpected failure", job.id()));
            return claimDue();
        });
    }

    private Uni<ImportJob> claim() {
        return jobs.claimNext(instance, config.lease(), running);
    }

    /**
     * Steps the job until it ends, waits, or another instance has it. A loop, not a recursion: each step is a new
     * subscription, so no page stays reachable from the steps after it.
     */
    private Uni<Void> run(ImportJob job, ImportSource source) {
        AtomicReference<ImportJob> current = new AtomicReference<>(job);
        return Uni.createFrom()
                .deferred(() -> step(current.get(), source)
                        .map(Optional::ofNullable)
                        .onFailure()
                        .recoverWithUni(e -> failed(current.get(), e).replaceWith(Optional.empty())))
                .repeat()
                .until(next -> {
                    if (next.isEmpty() || !next.get().running()) {
                        return true;
                    }
                    current.set(next.get());
                    return false;
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<ImportJob> step(ImportJob job, ImportSource source) {
        String phase = job.phase() == null ? "account" : job.phase();
        return switch (phase) {
            case "account" -> accountStep(job, source);
            case "move" -> source.finish(job, ends(source));
            default -> collectionStep(job, source, phase);
        };
    }

    /**
     * The account document first: it must name the account the person typed (else the job ends before anything
     * is written), and its profile, settings and aspects pass this pod's rules before they are.
     */
    private Uni<ImportJob> accountStep(ImportJob job, ImportSource source) {
        return account(job, source)
                .chain(account -> commit(
                        job,
                        c -> applyAccount(c, job, account),
                        "contacts",
                        null,
                        new JsonObject(),
                        new Restart(account.account().snapshot(), totals(account.account()), false)));
    }

    /** The totals the old pod announced, as the job keeps them. */
    private static JsonObject totals(AccountRecord account) {
        JsonObject totals = new JsonObject();
        account.counts().forEach(totals::put);
        return totals;
    }

    /**
     * Profile, settings and aspects, checked and written. Every round of copying changes writes them again: they
     * carry no change sequence of their own on the old pod, so a delta cannot tell whether the person edited them.
     */
    private Uni<Void> applyAccount(SqlConnection c, ImportJob job, AccountDocument.Sanitized account) {
        return report.leftOut(c, job.id(), account.leftOut())
                .chain(() -> writers.account(c, job.accountId(), account.account()));
    }

    /** The source's account document, checked, only if it is the account this import is for. */
    private Uni<AccountDocument.Sanitized> account(ImportJob job, ImportSource source) {
        return PageBounds.object("/migration/v1/account", source.account(job))
                .map(document -> AccountDocument.check(document, job.oldHandle()));
    }

    private Uni<ImportJob> collectionStep(ImportJob job, ImportSource source, String phase) {
        if (phase.equals("messages") && !servesMessages(job)) {
            // A pod of format 1.0 has no messages collection: its conversations embedded what there is to copy.
            return commit(
                    job,
                    c -> Uni.createFrom().voidItem(),
                    PHASES.get(PHASES.indexOf(phase) + 1),
                    null,
                    new JsonObject(),
                    null);
        }
        if (phase.equals("posts")) {
            readPhotosAhead(job, source);
        }
        String query = pageQuery(job, phase, job.cursor());
        Prefetched ahead = prefetched.remove(job.id());
        Uni<SourcePage> fetch;
        if (ahead != null && ahead.query().equals(query)) {
            fetch = ahead.page();
        } else if (phase.equals("photos") && job.cursor() == null) {
            // The first page may have been read ahead: once that reading has stopped, it is on disk.
            fetch = photosAhead.ended(job.id(), false).chain(() -> firstPhotosPage(job, source, firstPhotosQuery(job)));
        } else {
            fetch = source.page(job, phase, job.cursor(), config.pageSize());
        }
        return fetch.chain(page -> {
            // Bounds first: a page beyond them ends the job before anything of it is read further or written.
            PageBounds.checked(page, job.cursor(), config.pageSize(), phase);
            JsonArray items = page.items();
            String nextCursor = page.nextCursor();
            // Photos left out count too: a pod sending refused photos forever must meet the bound as well.
            long seen = job.done().getLong(phase, 0L)
                    + (phase.equals("photos") ? job.done().getLong("photosSkipped", 0L) : 0L);
            PageBounds.withinTotal(seen, items.size(), announced(job, phase), config.pageSize(), phase);
            if (nextCursor != null) {
                // Read the next page while this one is written: the old pod and this pod's database work at once.
                String nextQuery = pageQuery(job, phase, nextCursor);
                prefetched.put(
                        job.id(),
                        new Prefetched(
                                nextQuery, ReadAhead.started(source.page(job, phase, nextCursor, config.pageSize()))));
            }
            String nextPhase = nextCursor == null ? PHASES.get(PHASES.indexOf(phase) + 1) : phase;
            JsonObject counted = new JsonObject().put(phase, (long) items.size());
            if (items.isEmpty()) {
                return commit(job, c -> Uni.createFrom().voidItem(), nextPhase, nextCursor, counted, null);
            }
            // Within the import's quota of records first: nothing of a page past it is copied or written.
            PageBounds.withinImport(job.done().getLong(RECORDS, 0L), items.size(), config.maxItemsPerImport());
            return checkedStep(job, source, phase, items, counted, nextPhase, nextCursor);
        });
    }

    /**
     * The page through validation, which turns it into typed records (what fails is left out and reported), then
     * into the database: each collection's records through its claims check and its writer.
     */
    private Uni<ImportJob> checkedStep(
            ImportJob job,
            ImportSource source,
            String phase,
            JsonArray items,
            JsonObject counted,
            String nextPhase,
            String nextCursor) {
        RecordCheck.Mover mover = mover(job);
        Next next = new Next(job, items.size(), counted, nextPhase, nextCursor);
        long id = job.accountId();
        switch (phase) {
            case "contacts":
                return writePage(
                        next, RecordCheck.contacts(items, mover), (c, kept, seq) -> writers.contacts(c, id, kept, seq));
            case "posts":
                return postsStep(job, source, RecordCheck.posts(items, mover), next);
            case "photos": {
                Checked<PhotoRecord> checked = RecordCheck.photos(items, mover);
                if (!"SKIP".equals(job.photoMode())) {
                    countRecords(job, counted, items.size() + checked.leftOut().size());
                    return photoStep(job, source, checked.records(), checked.leftOut(), nextPhase, nextCursor, counted);
                }
                // Photos the person chose to leave behind: none is written.
                return writePage(
                        next, checked, (c, kept, seq) -> Uni.createFrom().voidItem());
            }
            case "conversations": {
                Checked<ConversationRecord> checked = RecordCheck.conversations(items, mover);
                List<ConversationRecord> conversations = checked.records();
                if (servesMessages(job)) {
                    // Every message comes with the messages collection, in pages, however long its conversation: the
                    // oldest ones embedded here would only be written twice.
                    conversations = conversations.stream()
                            .map(x -> new ConversationRecord(
                                    x.guid(),
                                    x.subject(),
                                    x.author(),
                                    x.participants(),
                                    x.createdAt(),
                                    List.of(),
                                    x.messageCount()))
                            .toList();
                }
                long messages = conversations.stream()
                        .mapToLong(x -> x.messages().size())
                        .sum();
                return writePage(
                        next,
                        conversations,
                        checked.leftOut(),
                        messages,
                        (c, kept) -> claims.conversations(c, job, kept),
                        List::size,
                        (c, kept, seq) -> writers.conversations(c, id, job.oldHandle(), job.newHandle(), kept, seq));
            }
            case "messages": {
                Checked<MessageRecord> checked = RecordCheck.messages(items, mover);
                return writePage(
                        next,
                        checked.records(),
                        checked.leftOut(),
                        0,
                        (c, kept) -> claims.messages(c, job, kept),
                        List::size,
                        (c, kept, seq) -> writers.messages(c, job.oldHandle(), job.newHandle(), kept));
            }
            case "tag-followings":
                return writePage(
                        next,
                        RecordCheck.tagFollowings(items, mover),
                        (c, kept, seq) -> writers.tagFollowings(c, id, kept, seq));
            case "notifications":
                return writePage(
                        next,
                        RecordCheck.notifications(items, mover),
                        (c, kept, seq) -> writers.notifications(c, id, kept));
            case "tombstones":
                return writePage(
                        next, RecordCheck.tombstones(items, mover), (c, kept, seq) -> writers.tombstones(c, id, kept));
            default:
                return Uni.createFrom().failure(new IllegalStateException("unknown phase " + phase));
        }
    }

    /**
     * A page of posts: a post with more comments or likes than it embeds gets the rest from its own collection, then
     * all of them pass validation, then the posts are written with them.
     */
    private Uni<ImportJob> postsStep(ImportJob job, ImportSource source, Checked<PendingPost> checked, Next next) {
        List<PendingPost> pending = checked.records();
        return allInteractions(job, source, pending).chain(() -> {
            // Counted after the posts with more than 100 comments or likes got the rest.
            long comments = pending.stream().mapToLong(p -> p.comments().size()).sum();
            long likes = pending.stream().mapToLong(p -> p.likes().size()).sum();
            next.counted().put("comments", comments).put("likes", likes);
            Checked<PostRecord> posts = RecordCheck.interactions(pending, mover(job));
            List<ImportReport.LeftOut> leftOut = new ArrayList<>(checked.leftOut());
            leftOut.addAll(posts.leftOut());
            return writePage(
                    next,
                    posts.records(),
                    leftOut,
                    comments + likes,
                    (c, kept) -> claims.posts(c, job.accountId(), kept),
                    ImportWriters::postRows,
                    (c, kept, seq) -> writers.posts(c, job.accountId(), job.oldHandle(), job.newHandle(), kept, seq)
                            .chain(turnedAway -> report.leftOut(c, job.id(), turnedAway)));
        });
    }

    /** What a checked page moves the job on to, and what it read. */
    private record Next(ImportJob job, long read, JsonObject counted, String phase, String cursor) {}

    /** Takes out of a page what belongs to others on this pod (and says what it took). */
    @FunctionalInterface
    private interface Claims<T> {
        Uni<Checked<T>> takeOut(SqlConnection c, List<T> records);
    }

    /** Writes a page's records, numbered from {@code firstSeq}. */
    @FunctionalInterface
    private interface Sink<T> {
        Uni<Void> write(SqlConnection c, List<T> records, long firstSeq);
    }

    /** A page whose guids are this import's own to write (no claims check) and whose records are one row each. */
    private <T> Uni<ImportJob> writePage(Next next, Checked<T> checked, Sink<T> sink) {
        return writePage(
                next,
                checked.records(),
                checked.leftOut(),
                0,
                (c, kept) -> Uni.createFrom().item(new Checked<>(kept, List.of())),
                List::size,
                sink);
    }

    /**
     * Counts a checked page toward the job, then in one transaction with its cursor: takes out what others hold here,
     * reports what was left out, and writes the rest ({@code rows} change sequences reserved for it).
     */
    private <T> Uni<ImportJob> writePage(
            Next next,
            List<T> records,
            List<ImportReport.LeftOut> leftOut,
            long nested,
            Claims<T> claims,
            ToLongFunction<List<T>> rows,
            Sink<T> sink) {
        ImportJob job = next.job();
        countRecords(job, next.counted(), next.read() + nested + leftOut.size());
        return commit(
                job,
                c -> claims.takeOut(c, records).chain(kept -> {
                    List<ImportReport.LeftOut> reported = new ArrayList<>(leftOut);
                    reported.addAll(kept.leftOut());
                    return report.leftOut(c, job.id(), reported)
                            .chain(() -> reserveSeq(c, job.accountId(), rows.applyAsLong(kept.records())))
                            .chain(seq -> sink.write(c, kept.records(), seq));
                }),
                next.phase(),
                next.cursor(),
                next.counted(),
                null);
    }

    /** The key of {@code done} counting the records a job wrote (left-out reports included). */
    static final String RECORDS = "records";

    /**
     * Adds a page's records to the job's count, unless they take it past this pod's quota per import: the totals
     * an old pod announces bound what it sends only relative to themselves, and it may announce any.
     */
    private void countRecords(ImportJob job, JsonObject counted, long records) {
        PageBounds.withinImport(job.done().getLong(RECORDS, 0L), records, config.maxItemsPerImport());
        counted.put(RECORDS, records);
    }

    private RecordCheck.Mover mover(ImportJob job) {
        return new RecordCheck.Mover(job.oldHandle(), job.newHandle(), urls.host());
    }

    /** The total the old pod announced for a collection (deletions: as many as everything else). */
    private static long announced(ImportJob job, String phase) {
        if (phase.equals("tombstones")) {
            long all = 0;
            for (String name : job.totals().fieldNames()) {
                all += announcedOf(job.totals(), name);
            }
            return all;
        }
        return announcedOf(job.totals(), phase);
    }

    private static long announcedOf(JsonObject totals, String name) {
        return totals.getValue(name) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }

    /**
     * A page of photos: the bytes are copied (or the photos linked) first, then the rows written with the cursor.
     * Photos left out are counted apart ({@code photosSkipped}), so the progress says what arrived. Files of a
     * page whose rows do not commit are removed again.
     */
    private Uni<ImportJob> photoStep(
            ImportJob job,
            ImportSource source,
            List<PhotoRecord> items,
            List<ImportReport.LeftOut> leftOut,
            String nextPhase,
            String nextCursor,
            JsonObject counted) {
        // What was read ahead is on disk once it has stopped: never two transfers into one part file.
        return photosAhead
                .ended(job.id(), false)
                .chain(() -> photoCopier.copyPage(job, source, items))
                .chain(outcomes -> {
                    List<ImportReport.LeftOut> reported = new ArrayList<>(leftOut);
                    outcomes.stream()
                            .filter(PhotoRefused.class::isInstance)
                            .map(PhotoRefused.class::cast)
                            .forEach(refused -> reported.add(new ImportReport.LeftOut(
                                    "photos", refused.guid(), refused.reason().words())));
                    long kept = outcomes.size() - (reported.size() - leftOut.size());
                    long stored = outcomes.stream()
                            .filter(PhotoOutcome.Copied.class::isInstance)
                            .mapToLong(outcome -> ((PhotoOutcome.Copied) outcome).size())
                            .sum();
                    // The bytes stored count toward the job's photo quota, committed with the page (a resumed job
                    // knows).
                    counted.put("photos", kept)
                            .put("photosSkipped", (long) reported.size())
                            .put(PhotoCopier.PHOTO_BYTES, stored);
                    return commit(
                                    job,
                                    c -> report.leftOut(c, job.id(), reported)
                                            .chain(() -> reserveSeq(c, job.accountId(), items.size()))
                                            .chain(seq -> writers.photos(c, job.accountId(), items, outcomes, seq))
                                            .chain(written -> photoCopier.discardUnwritten(outcomes, written)),
                                    nextPhase,
                                    nextCursor,
                                    counted,
                                    null)
                            .call(next -> next == null
                                    ? photoCopier.discardAll(outcomes)
                                    : Uni.createFrom().voidItem())
                            .onFailure()
                            .call(e -> photoCopier.discardAll(outcomes));
                });
    }

    /** At least one number, so that the first one returned is always the page's own, even for an empty page. */
    private static Uni<Long> reserveSeq(SqlConnection c, long accountId, long count) {
        return ChangeSequence.reserveFirst(c, accountId, Math.max(count, 1));
    }

    /** Whether the old pod serves a messages collection (format 1.1 on): its account document counts it. */
    private static boolean servesMessages(ImportJob job) {
        return job.totals().containsKey("messages");
    }

    /**
     * A post embeds at most 100 comments and 100 likes; for one that has more, the whole list is read from its own
     * collection (at the same snapshot) and replaces the embedded one before the page is written. How much is read
     * is bounded by what the post and the account announced.
     */
    private Uni<Void> allInteractions(ImportJob job, ImportSource source, List<PendingPost> posts) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        AtomicLong held = new AtomicLong();
        for (PendingPost post : posts) {
            for (String kind : new String[] {"comments", "likes"}) {
                boolean comments = kind.equals("comments");
                long count = comments ? post.post().commentCount() : post.post().likeCount();
                JsonArray embedded = comments ? post.comments() : post.likes();
                if (count > embedded.size()) {
                    String guid = post.post().guid();
                    String path = "/migration/v1/posts/" + guid + "/" + kind;
                    long cap = Math.min(count, 2 * announcedOf(job.totals(), kind) + 2L * INTERACTIONS_PAGE);
                    JsonArray all = new JsonArray();
                    // What its own collection serves replaces what the post embedded; validation checks it next.
                    chain = chain.chain(() -> readAll(job, source, guid, kind, path, cap, all, held))
                            .invoke(() -> embedded.clear().addAll(all));
                }
            }
        }
        return chain;
    }

    /** Items per page of a post's own comments or likes. */
    private static final int INTERACTIONS_PAGE = 1000;

    private Uni<Void> readAll(
            ImportJob job,
            ImportSource source,
            String guid,
            String kind,
            String path,
            long cap,
            JsonArray into,
            AtomicLong held) {
        AtomicReference<String> cursor = new AtomicReference<>();
        return Uni.createFrom()
                .deferred(() -> source.interactions(job, guid, kind, cursor.get(), INTERACTIONS_PAGE))
                .repeat()
                .until(page -> {
                    PageBounds.checked(page, cursor.get(), INTERACTIONS_PAGE, "comments or likes of a post");
                    JsonArray items = page.items();
                    PageBounds.withinTotal(into.size(), items.size(), cap, 0, path);
                    PageBounds.withinPageMemory(held.get(), items.size(), config.maxInteractionsPerPage());
                    held.addAndGet(items.size());
                    into.addAll(items);
                    String nextCursor = page.nextCursor();
                    if (nextCursor == null) {
                        return true;
                    }
                    cursor.set(nextCursor);
                    return false;
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** What a page read ahead answers: the job's collection and cursor, at its snapshot and delta. */
    private static String pageQuery(ImportJob job, String phase, String cursor) {
        return phase + "|" + cursor + "|" + job.snapshot() + "|" + job.deltaAfter();
    }

    /** A page read ahead for a job, and the query it answers. */
    private record Prefetched(String query, Uni<SourcePage> page) {}

    /** The runner's verbs a source's finish step may use. */
    private ImportSource.JobEnds ends(ImportSource source) {
        return new ImportSource.JobEnds() {
            @Override
            public Uni<AccountDocument.Sanitized> account(ImportJob job) {
                return ImportRunner.this.account(job, source);
            }

            @Override
            public Uni<ImportJob> done(ImportJob job, String noticesUrl) {
                return finish(job, JobState.DONE, null, noticesUrl).call(ImportRunner.this::mailDone);
            }

            @Override
            public Uni<ImportJob> failed(ImportJob job, String why) {
                return finish(job, JobState.FAILED, why, null).call(ImportRunner.this::mailFailed);
            }

            @Override
            public Uni<ImportJob> copyChanges(ImportJob job, AccountDocument.Sanitized account, long snapshot) {
                return commit(
                        job,
                        c -> applyAccount(c, job, account),
                        "contacts",
                        null,
                        new JsonObject().put(DELTA_ROUNDS, 1),
                        new Restart(snapshot, totals(account.account()), true));
            }
        };
    }

    /**
     * Writes a page and moves the job on in one transaction, only while this instance still holds the job: an
     * import called off (or taken over) meanwhile is no longer this instance's to write. Null then.
     */
    private Uni<ImportJob> commit(
            ImportJob job,
            Function<SqlConnection, Uni<Void>> write,
            String phase,
            String cursor,
            JsonObject counted,
            Restart restart) {
        return jobs.advance(instance, job, config.lease(), write, new Advance(phase, cursor, counted, restart))
                .invoke(next -> {
                    if (next == null) {
                        leaseLost(job);
                    }
                });
    }

    /**
     * Ends the job, only while this instance still holds it: an import called off (or resumed elsewhere) meanwhile
     * keeps the end it has. Null when the job was no longer this instance's, so no mail goes out for it.
     */
    private Uni<ImportJob> finish(ImportJob job, JobState end, String error, String noticesUrl) {
        return jobs.finish(instance, job, end, error, noticesUrl, c -> states.endMoving(c, job.accountId()))
                // Whatever the end, no attempt will resume the job's unfinished photos or read its opened archive.
                .call(() -> photosAhead.ended(job.id(), true))
                .call(() -> photoCopier.dropParts(job.id()))
                .call(ended -> ended == null ? Uni.createFrom().voidItem() : opened.drop(job))
                .invoke(ended -> {
                    if (ended == null) {
                        leaseLost(job);
                    } else {
                        LOG.infof(
                                "Import %s of %s: %s%s",
                                job.id(), job.oldHandle(), end, error == null ? "" : " (" + error + ")");
                    }
                });
    }

    /** Tells the person how their import ended, when this instance ended it. */
    private Uni<Void> mailDone(ImportJob ended) {
        return ended == null ? Uni.createFrom().voidItem() : mail.done(ended);
    }

    private Uni<Void> mailFailed(ImportJob ended) {
        return ended == null ? Uni.createFrom().voidItem() : mail.failed(ended);
    }

    /**
     * What the person reads about a failure: this pod's own sentences (a refused call, an outbound bound), never an
     * unexpected exception's message, which may quote what the old pod sent (a parser's excerpt) or this pod's
     * internals.
     */
    static String wordsFor(Throwable e) {
        if (e instanceof CallFailed || e instanceof OutboundRefused) {
            return e.getMessage();
        }
        return "Something went wrong on this pod while copying (its log has the details)";
    }

    /** A failed step: wait and retry, ask for consent again, or end the job. */
    private Uni<Void> failed(ImportJob job, Throwable e) {
        prefetched.remove(job.id());
        if (e instanceof CallFailed call && call.status == 401) {
            // Only while this instance holds it: an import called off meanwhile stays called off.
            return jobs.needsConsent(instance, job, call.getMessage())
                    .invoke(held -> leaseLostIfNot(job, held))
                    .replaceWithVoid();
        }
        boolean retry = !(e instanceof CallFailed call) || call.transientFailure;
        int attempts = job.attempts() + 1;
        if (!retry || attempts >= config.maxAttempts()) {
            LOG.warnf(e, "Import %s failed after %d attempts", job.id(), attempts);
            return finish(job, JobState.FAILED, wordsFor(e), null)
                    .call(this::mailFailed)
                    .replaceWithVoid();
        }
        long backoff = Math.min(config.maxBackoff().toSeconds(), 1L << Math.min(attempts, 6));
        if (e instanceof CallFailed call && call.retryAfterSeconds > 0) {
            backoff = Math.max(backoff, call.retryAfterSeconds);
        }
        LOG.warnf("Import %s: attempt %d failed (%s); retrying in %d s", job.id(), attempts, e.getMessage(), backoff);
        return jobs.retryLater(instance, job, attempts, wordsFor(e), Duration.ofSeconds(backoff))
                .invoke(held -> leaseLostIfNot(job, held))
                .replaceWithVoid();
    }

    private void leaseLostIfNot(ImportJob job, boolean held) {
        if (!held) {
            leaseLost(job);
        }
    }

    /**
     * Starts reading the first page of the job's photos into their part files, once per job and run, when the
     * photos are to be copied and nothing of them was yet: the posts and the photos then travel at once. Only the
     * first page, since the photos phase drops the parts of photos its page does not name.
     */
    private void readPhotosAhead(ImportJob job, ImportSource source) {
        if (!config.readPhotosAhead()
                || !"COPY".equals(job.photoMode())
                || job.deltaAfter() != null
                || job.done().getLong("photos", 0L) + job.done().getLong("photosSkipped", 0L) > 0
                || announced(job, "photos") == 0) {
            return;
        }
        String query = firstPhotosQuery(job);
        photosAhead.startOnce(
                job.id(),
                stop -> firstPhotosPage(job, source, query)
                        .chain(page -> {
                            PageBounds.checked(page, null, config.pageSize(), "photos");
                            PageBounds.withinTotal(
                                    0, page.items().size(), announced(job, "photos"), config.pageSize(), "photos");
                            List<PhotoRecord> photos =
                                    RecordCheck.photos(page.items(), mover(job)).records();
                            // Called off while the page travelled: nothing is kept, nothing fetched.
                            return stop.get()
                                    ? Uni.createFrom().voidItem()
                                    : photoCopier
                                            .keepPage(job, query, page)
                                            .chain(() -> photoCopier.readAhead(job, source, photos, stop));
                        })
                        .onFailure()
                        .invoke(e -> LOG.debugf(e, "Import %s: reading photos ahead stopped", job.id()))
                        .onFailure()
                        .recoverWithNull());
    }

    /** What a kept first page of photos must answer: this round's query, at this pod's page size. */
    private String firstPhotosQuery(ImportJob job) {
        return pageQuery(job, "photos", null) + "|" + config.pageSize();
    }

    /**
     * The first page of the job's photos: the one read ahead and kept on disk (by this run, or by one this pod was
     * killed in), else the old pod's answer. Either is checked as any page is.
     */
    private Uni<SourcePage> firstPhotosPage(ImportJob job, ImportSource source, String query) {
        return photoCopier
                .keptPage(job, query)
                .chain(kept -> kept != null
                        ? Uni.createFrom().item(kept)
                        : source.page(job, "photos", null, config.pageSize()));
    }

    /** Said once the runner lets go of a job it no longer holds (an operator, and a test, can tell it stopped). */
    private void leaseLost(ImportJob job) {
        photosAhead.stopThen(job.id(), Uni.createFrom().voidItem());
        LOG.infof(
                "Import %s: no longer this instance's to run (called off or resumed elsewhere); it stops here",
                job.id());
    }
}
