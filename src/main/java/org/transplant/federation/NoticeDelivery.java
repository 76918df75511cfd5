package org.transplant.federation;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.outbound.OutboundRefused;
import org.transplant.outbound.PodHttp;
import org.transplant.outbound.PodResponse;
import org.transplant.pod.Handle;
import org.transplant.pod.reactive.OnePass;

/**
 * Delivers queued move notices. Each delivery is claimed with a lease (any instance may run it), sent to the inbox
 * the WebFinger of a contact on that pod names, and ends ACCEPTED (the pod's 2xx acknowledges the notice), REFUSED
 * (a 4xx) or, after the last attempt, UNREACHABLE. In between it waits, twice as long each time. Each outcome is kept
 * as a code of {@link NoticeOutcomes}, never as the other pod's words.
 */
@ApplicationScoped
public class NoticeDelivery {

    private static final Logger LOG = Logger.getLogger(NoticeDelivery.class);
    private static final int BATCH = 8;
    /** Well beyond two request timeouts (WebFinger, then the inbox): a delivery under way is never claimed twice. */
    private static final long LEASE_SECONDS = 300;

    /** How one attempt ended; {@code detail} is a code of {@link NoticeOutcomes}. */
    private record Outcome(String state, String detail, long retryAfterSeconds) {
        static Outcome accepted(String detail) {
            return new Outcome("ACCEPTED", detail, 0);
        }

        static Outcome refused(String detail) {
            return new Outcome("REFUSED", detail, 0);
        }

        static Outcome retry(String detail, long retryAfterSeconds) {
            return new Outcome("PENDING", detail, retryAfterSeconds);
        }
    }

    private record Delivery(String noticeId, String podHost, String contact, int attempts, String jws) {}

    private final String instance = UUID.randomUUID().toString();
    private final OnePass passes = new OnePass(LOG, "Move notice delivery");
    private final Pool pool;
    private final PodHttp http;
    private final WebFingerClient webFinger;
    private final TransplantConfig.Federation config;

    public NoticeDelivery(Pool pool, PodHttp http, WebFingerClient webFinger, TransplantConfig config) {
        this.pool = pool;
        this.http = http;
        this.webFinger = webFinger;
        this.config = config.federation();
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        passes.run(this::deliverDue);
    }

    /** Claims and delivers what is due, a batch at a time, until nothing is. */
    Uni<Void> deliverDue() {
        return claim().chain(batch -> batch.isEmpty()
                ? Uni.createFrom().voidItem()
                : Multi.createFrom()
                        .iterable(batch)
                        .onItem()
                        .transformToUni(this::deliver)
                        .merge(BATCH)
                        .collect()
                        .last()
                        .chain(this::deliverDue));
    }

    private Uni<List<Delivery>> claim() {
        return pool.preparedQuery("UPDATE move_deliveries d SET lease_owner = $1, lease_until = now() + $2"
                        + " * interval '1 second', attempts = d.attempts + 1 FROM move_notices n WHERE n.id = d.notice_id"
                        + " AND (d.notice_id, d.pod_host) IN (SELECT notice_id, pod_host FROM move_deliveries"
                        + " WHERE state = 'PENDING' AND next_attempt_at <= now()"
                        + " AND (lease_until IS NULL OR lease_until < now())"
                        + " ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING d.notice_id::text, d.pod_host, d.contact_handle, d.attempts, n.jws")
                .execute(Tuple.of(instance, LEASE_SECONDS, BATCH))
                .map(rows -> {
                    List<Delivery> batch = new ArrayList<>();
                    for (Row row : rows) {
                        batch.add(new Delivery(
                                row.getString(0),
                                row.getString(1),
                                row.getString(2),
                                row.getInteger(3),
                                row.getString(4)));
                    }
                    return batch;
                });
    }

    private Uni<Void> deliver(Delivery delivery) {
        Handle contact;
        try {
            contact = Handle.parse("contact", delivery.contact());
        } catch (RuntimeException e) {
            return record(delivery, Outcome.refused("not-a-handle"));
        }
        String base = PodHttp.baseUrlOf(delivery.podHost());
        return webFinger
                .lookup(contact)
                .chain(person -> {
                    // A contact gone from that pod still leaves the pod: Transplant pods take notices at one path.
                    String inbox =
                            person == null ? base + InboxResource.PATH : person.link(WebFingerResource.REL_INBOX);
                    if (inbox == null) {
                        return Uni.createFrom().item(Outcome.refused("no-inbox"));
                    }
                    // Only to the pod the contact lives on: a JRD cannot send this pod's requests elsewhere.
                    if (!inbox.startsWith(base + "/")) {
                        return Uni.createFrom().item(Outcome.refused("inbox-elsewhere"));
                    }
                    return http.request(HttpMethod.POST, inbox)
                            .putHeader("Content-Type", InboxResource.JOSE)
                            .putHeader("Accept", "application/json")
                            .sendBuffer(Buffer.buffer(delivery.jws()))
                            .map(response -> outcomeOf(response, delivery.noticeId()));
                })
                .onFailure()
                .recoverWithItem(e -> Outcome.retry(failureCode(e), 0))
                .chain(outcome -> record(delivery, outcome));
    }

    private static Outcome outcomeOf(PodResponse response, String noticeId) {
        int status = response.statusCode();
        JsonObject body = PodHttp.jsonBody(response);
        if (status / 100 == 2) {
            // Only an acknowledgement of this very notice counts; any other 2xx page is not one.
            Object answered = body.getValue("status");
            boolean acknowledged = noticeId.equals(body.getValue("notice"))
                    && ("accepted".equals(answered) || "already-applied".equals(answered));
            return acknowledged ? Outcome.accepted((String) answered) : Outcome.refused("not-acknowledged");
        }
        // A code, never the pod's detail: the moving person reads the outcome, and that pod could write anything.
        String code = NoticeOutcomes.ofAnswer(status, body.getValue("type"));
        if (status == 408 || status == 429 || status / 100 == 5) {
            String retryAfter = response.getHeader("Retry-After");
            long seconds =
                    retryAfter != null && retryAfter.trim().matches("\\d{1,6}") ? Long.parseLong(retryAfter.trim()) : 0;
            return Outcome.retry(code, seconds);
        }
        return Outcome.refused(code);
    }

    /** A policy refusal this pod will keep making is "not-called"; any other failure may pass. */
    private static String failureCode(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OutboundRefused refused && !refused.passing()) {
                return "not-called";
            }
        }
        return "unreachable";
    }

    private Uni<Void> record(Delivery delivery, Outcome outcome) {
        String state = outcome.state();
        if ("PENDING".equals(state) && delivery.attempts() >= config.maxAttempts()) {
            state = "UNREACHABLE";
        }
        long wait = Math.min(config.maxBackoff().toSeconds(), 1L << Math.min(delivery.attempts(), 20));
        wait = Math.max(wait, outcome.retryAfterSeconds());
        if (!"ACCEPTED".equals(state)) {
            LOG.infof(
                    "Move notice %s to %s: %s (%s, attempt %d)",
                    delivery.noticeId(), delivery.podHost(), state, outcome.detail(), delivery.attempts());
        }
        return pool.preparedQuery("UPDATE move_deliveries SET state = $3, outcome = $4, next_attempt_at = now() + $5"
                        + " * interval '1 second', lease_owner = NULL, lease_until = NULL, updated_at = now()"
                        + " WHERE notice_id = $1::uuid AND pod_host = $2 AND lease_owner = $6")
                .execute(Tuple.of(delivery.noticeId(), delivery.podHost(), state, outcome.detail(), wait, instance))
                .replaceWithVoid();
    }
}
