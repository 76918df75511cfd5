package org.transplant.migration.importer;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.federation.NoticeOutcomes;
import org.transplant.outbound.PodHttp;
import org.transplant.pod.reactive.OnePass;

/**
 * After a move, follows the old pod's report on its move notices (how many of the contacts' pods accepted) until
 * every delivery has ended, and keeps it with the job with a verdict: complete when the share that accepted reaches
 * the acceptance threshold, else needs attention. Reports older than the notices' lifetime are left alone.
 */
@ApplicationScoped
public class MoveNoticeWatch {

    private static final Logger LOG = Logger.getLogger(MoveNoticeWatch.class);

    private final OnePass passes = new OnePass(LOG, "Reading move notice reports");
    private final ImportJobs jobs;
    private final PodHttp http;
    private final TransplantConfig.Federation config;

    public MoveNoticeWatch(ImportJobs jobs, PodHttp http, TransplantConfig config) {
        this.jobs = jobs;
        this.http = http;
        this.config = config.federation();
    }

    @Scheduled(every = "3s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        passes.run(this::refresh);
    }

    Uni<Void> refresh() {
        return jobs.watched(config.noticeLifetime())
                .onItem()
                .transformToUniAndMerge(this::refresh)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> refresh(ImportJobs.Watched job) {
        return http.request(HttpMethod.GET, job.noticesUrl())
                .putHeader("Accept", "application/json")
                .send()
                .map(response -> response.statusCode() == 200 ? counted(response.bodyAsJsonObject()) : null)
                .onFailure()
                .recoverWithNull()
                .chain(report -> report == null
                        ? Uni.createFrom().voidItem()
                        : jobs.notices(job.id(), withVerdict(report, config.acceptanceThreshold())));
    }

    /**
     * Keeps a report whose counts are numbers; anything else from the old pod is no report. Of each pod only what
     * has a shape this pod can check is kept: its host name, its state, and the outcome's code, which this pod words
     * itself. The old pod's sentences are dropped: the person reads the report, and the old pod could say anything.
     */
    static JsonObject counted(JsonObject report) {
        JsonObject kept = new JsonObject();
        for (String field : new String[] {"accepted", "refused", "unreachable", "pending"}) {
            if (report == null || !(report.getValue(field) instanceof Number count)) {
                return null;
            }
            kept.put(field, Math.max(0, Math.min(count.intValue(), 1_000_000)));
        }
        JsonArray pods = new JsonArray();
        if (report.getValue("pods") instanceof JsonArray listed) {
            for (Object item : listed) {
                if (pods.size() < MAX_PODS
                        && item instanceof JsonObject pod
                        && pod.getValue("pod") instanceof String host
                        && HOST.matcher(host).matches()
                        && STATES.contains(pod.getValue("state"))) {
                    pods.add(new JsonObject()
                            .put("pod", host)
                            .put("state", pod.getValue("state"))
                            .put("reason", NoticeOutcomes.known(pod.getValue("reason"))));
                }
            }
        }
        return kept.put("pods", pods);
    }

    private static final int MAX_PODS = 10_000;
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");
    private static final Set<Object> STATES = Set.of("PENDING", "ACCEPTED", "REFUSED", "UNREACHABLE");

    /** The report with its total and verdict: in-progress, complete or needs-attention. */
    static JsonObject withVerdict(JsonObject report, double threshold) {
        int accepted = report.getInteger("accepted", 0);
        int total = accepted
                + report.getInteger("refused", 0)
                + report.getInteger("unreachable", 0)
                + report.getInteger("pending", 0);
        String verdict = report.getInteger("pending", 0) > 0
                ? "in-progress"
                : total == 0 || accepted >= threshold * total ? "complete" : "needs-attention";
        return report.put("total", total).put("verdict", verdict);
    }
}
