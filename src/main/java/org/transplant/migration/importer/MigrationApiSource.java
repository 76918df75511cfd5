package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;
import org.transplant.migration.importer.OldPodApi.CallFailed;
import org.transplant.migration.importer.RemotePods.RemotePod;
import org.transplant.outbound.PodHttp;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Accounts;

/**
 * An old pod over the Migration API, with the job's tokens: pages at the job's snapshot (or after its delta), photo
 * bytes with Range, and last the move call, after which the old pod sends visitors here.
 */
final class MigrationApiSource implements ImportSource {

    private static final Logger LOG = Logger.getLogger(MigrationApiSource.class);

    /** Rounds of copying what changed on the old pod during the move, before it counts as never settling. */
    static final int MAX_DELTA_ROUNDS = ImportRunner.MAX_DELTA_ROUNDS;

    private final OldPodApi api;
    private final RemotePod pod;
    private final PodUrls urls;
    private final Accounts podAccounts;
    private final MoveLanded moveLanded;

    MigrationApiSource(OldPodApi api, RemotePod pod, PodUrls urls, Accounts podAccounts, MoveLanded moveLanded) {
        this.api = api;
        this.pod = pod;
        this.urls = urls;
        this.podAccounts = podAccounts;
        this.moveLanded = moveLanded;
    }

    @Override
    public Uni<JsonObject> account(ImportJob job) {
        return api.get(job, pod, "/migration/v1/account");
    }

    @Override
    public Uni<SourcePage> page(ImportJob job, String collection, String cursor, int limit) {
        StringBuilder query = new StringBuilder("/migration/v1/")
                .append(collection)
                .append("?limit=")
                .append(limit);
        if (cursor != null) {
            query.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        } else if (job.snapshot() != null) {
            query.append("&snapshot=").append(job.snapshot());
        }
        if (job.deltaAfter() != null) {
            query.append("&changedAfter=").append(job.deltaAfter());
        }
        return sourcePage(job, query.toString(), collection);
    }

    @Override
    public Uni<SourcePage> interactions(ImportJob job, String postGuid, String kind, String cursor, int limit) {
        String path = "/migration/v1/posts/" + postGuid + "/" + kind + "?limit=" + limit;
        String query = cursor != null
                ? path + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)
                : path + (job.snapshot() == null ? "" : "&snapshot=" + job.snapshot());
        return sourcePage(job, query, "comments or likes of a post");
    }

    /**
     * A page as the old pod answers it, {@code {"items": [...], "next": "<the same collection>?cursor=..."}}: the
     * cursor is read out of {@code next}, which must point back at the collection asked, on this old pod.
     */
    private Uni<SourcePage> sourcePage(ImportJob job, String query, String what) {
        String collection = query.substring(0, query.indexOf('?'));
        return PageBounds.object(query, api.get(job, pod, query))
                .map(page -> new SourcePage(
                        PageBounds.items(page, what), PageBounds.cursorOfNext(page, pod.issuer() + collection, what)));
    }

    @Override
    public Uni<Integer> appendPhoto(ImportJob job, String guid, String part, long from, long maxBytes) {
        return api.appendBytes(job, pod, "/migration/v1/photos/" + guid + "/content", part, from, maxBytes);
    }

    @Override
    public String photoLink(String guid) {
        return pod.issuer() + "/photos/" + guid;
    }

    /**
     * The move call. Refused for want of a token (the move revokes the grant's tokens) after a move call whose
     * answer was lost, it is done if the old pod says the account moved here: the job ends DONE, not asking the
     * person to confirm a move that already happened.
     */
    @Override
    public Uni<ImportJob> finish(ImportJob job, JobEnds ends) {
        return moveCall(job, ends)
                .onFailure(e -> e instanceof CallFailed call && call.status == 401)
                .recoverWithUni(refused -> moveLanded.movedHere(job).chain(moved -> {
                    if (!moved) {
                        return Uni.createFrom().failure(refused);
                    }
                    LOG.infof("Import %s: the old pod had carried out the move; its answer was lost", job.id());
                    return ends.done(job, null);
                }));
    }

    private Uni<ImportJob> moveCall(ImportJob job, JobEnds ends) {
        // The nonce of the grant in force now: a person who confirmed again after a lost grant has a new one.
        return ends.account(job)
                .chain(account -> podAccounts.keyed(job.accountId()).chain(keyed -> {
                    String username = keyed.username();
                    JsonObject body = new JsonObject()
                            .put("newHandle", job.newHandle())
                            .put("newPublicKey", keyed.publicKeyPem())
                            .put("nonce", account.account().moveNonce())
                            .put("seenSeq", job.snapshot())
                            .put("profileUrl", urls.url("/u/" + username))
                            .put("postUrl", urls.url("/posts/{guid}"));
                    if ("COPY".equals(job.photoMode())) {
                        body.put("photoUrl", urls.url("/photos/{guid}"));
                    }
                    return api.post(job, pod, "/migration/v1/move", body);
                }))
                .chain(response -> {
                    if (response.statusCode() == 200) {
                        // Where the old pod reports how its notices to the contacts' pods fare.
                        return ends.done(job, noticesUrl(PodHttp.jsonBody(response)));
                    }
                    JsonObject problem = PodHttp.jsonBody(response);
                    String type = problem.getValue("type") instanceof String text ? text : "";
                    if (response.statusCode() == 409 && type.endsWith("/changes-pending")) {
                        // Something changed on the old pod since the snapshot: copy the changes, then move again. Each
                        // round must move the snapshot on, and the rounds are few: an old pod that always says
                        // "changed" would otherwise hold one of the runner's job slots for ever.
                        long rounds = job.done().getLong(ImportRunner.DELTA_ROUNDS, 0L);
                        if (rounds >= MAX_DELTA_ROUNDS) {
                            return ends.failed(
                                    job,
                                    "The old pod kept reporting new changes (" + rounds
                                            + " rounds of copying them); stop writing there for a moment and try again");
                        }
                        return ends.account(job).chain(account -> {
                            long snapshot = account.account().snapshot();
                            if (job.snapshot() != null && snapshot <= job.snapshot()) {
                                return ends.failed(
                                        job,
                                        "The old pod asked for its changes to be copied again,"
                                                + " but reports none after what was copied");
                            }
                            return ends.copyChanges(job, account, snapshot);
                        });
                    }
                    if (response.statusCode() / 100 == 5 || response.statusCode() == 429) {
                        throw new CallFailed(
                                response.statusCode(), "The old pod answered " + response.statusCode(), 0, true);
                    }
                    // The old pod's own detail is never kept: the person reads this, and it could say anything.
                    return ends.failed(job, MoveRefusals.words(response.statusCode(), problem));
                });
    }

    /** The report's URL, if it is on the old pod: this pod reads it for weeks and fetches nothing else for it. */
    private String noticesUrl(JsonObject moved) {
        return moved.getValue("noticesUrl") instanceof String url && url.startsWith(pod.issuer() + "/") ? url : null;
    }
}
