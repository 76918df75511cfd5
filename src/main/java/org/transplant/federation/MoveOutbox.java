package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.transplant.config.TransplantConfig;
import org.transplant.federation.MoveNoticeJws.MoveNotice;
import org.transplant.outbound.PodHttp;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.contact.KnownPeople;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.pod.session.SessionTokens;

/**
 * The old pod's outbox of move notices. A move writes its signed notice and one delivery per pod that hosts a
 * contact of the mover (followers and followings alike) in the move's own transaction: a move is never committed
 * without the notices that tell of it.
 */
@ApplicationScoped
public class MoveOutbox {

    /** What the move tells the outbox; the old private key as the database holds it (sealed). */
    public record Move(
            long accountId,
            String username,
            String oldPrivateKeySealed,
            Handle newHandle,
            String newPublicKeyPem,
            String newProfileUrl,
            Instant movedAt) {}

    private final WorkerPool workers;
    private final PrivateKeyVault vault;
    private final PodUrls urls;
    private final TransplantConfig.Federation config;
    private final KnownPeople knownPeople;

    /** The most pods an archive's move notices go to. */
    public static final int ARCHIVE_PODS = 1000;

    public MoveOutbox(
            WorkerPool workers, PrivateKeyVault vault, PodUrls urls, TransplantConfig config, KnownPeople knownPeople) {
        this.knownPeople = knownPeople;
        this.workers = workers;
        this.vault = vault;
        this.urls = urls;
        this.config = config.federation();
    }

    /** Queues the notice of {@code move} in {@code c}'s transaction; answers the URL its outcomes are read at. */
    public Uni<String> enqueue(SqlConnection c, Move move) {
        return enqueue(
                c,
                move,
                Handle.parse("handle", urls.handleOf(move.username())),
                urls.url("/u/" + move.username()),
                Integer.MAX_VALUE);
    }

    /**
     * Queues, on the new pod, the notice of a move whose old pod may be dead (an account archive's): signed with the
     * old key the archive held, in the name of {@code oldHandle}, to the pods of the contacts the account brought
     * here ({@code move.accountId()} is the new account). Anyone may make an archive and name contacts on any number
     * of hosts in it, so at most {@link #ARCHIVE_PODS} pods are told (in the order of their names).
     */
    public Uni<String> enqueueForArchive(SqlConnection c, Move move, Handle oldHandle) {
        return enqueue(
                c, move, oldHandle, PodHttp.baseUrlOf(oldHandle.host()) + "/u/" + oldHandle.user(), ARCHIVE_PODS);
    }

    private Uni<String> enqueue(SqlConnection c, Move move, Handle oldHandle, String oldProfileUrl, int pods) {
        MoveNotice notice = new MoveNotice(
                UUID.randomUUID().toString(),
                oldHandle,
                move.newHandle(),
                move.newPublicKeyPem(),
                move.movedAt(),
                move.movedAt().plus(config.noticeLifetime()));
        String statusKey = SessionTokens.newToken();
        return workers.run(() -> MoveNoticeJws.sign(
                        notice, vault.open(move.oldPrivateKeySealed()), oldProfileUrl, move.newProfileUrl()))
                .chain(jws -> c.preparedQuery("INSERT INTO move_notices (id, account_id, old_handle, new_handle, jws,"
                                + " status_key) VALUES ($1::uuid, $2, $3, $4, $5, $6)")
                        .execute(Tuple.of(
                                notice.id(),
                                move.accountId(),
                                oldHandle.toString(),
                                move.newHandle().toString(),
                                jws,
                                statusKey)))
                // One contact per pod is enough: its WebFinger names the pod's inbox.
                .chain(() -> knownPeople.oneContactPerPod(c, move.accountId(), pods))
                .chain(handles -> c.preparedQuery(
                                "INSERT INTO move_deliveries (notice_id, pod_host, contact_handle)"
                                        + " SELECT $1::uuid, split_part(handle, '@', 2), handle FROM unnest($2::text[]) AS h(handle)")
                        .execute(Tuple.of(notice.id(), handles.toArray(String[]::new))))
                .map(ignored -> urls.url(NoticeStatusResource.PATH + statusKey));
    }
}
