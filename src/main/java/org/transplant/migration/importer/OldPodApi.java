package org.transplant.migration.importer;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.transplant.migration.importer.RemotePods.RemotePod;
import org.transplant.outbound.OidcProxy;
import org.transplant.outbound.OutboundRefused;
import org.transplant.outbound.PodHttp;
import org.transplant.outbound.PodResponse;
import org.transplant.outbound.TransportFailures;
import org.transplant.pod.crypto.SecretBox;

/**
 * Calls to an old pod's Migration API on behalf of a job. An expired access token is refreshed once through
 * quarkus-oidc-client; the rotated pair is stored (sealed) before the new access token is used, so a crash never
 * loses the grant.
 */
@ApplicationScoped
public class OldPodApi {

    /** A failure the job handles: transient ones are retried, the others end the job or ask for consent. */
    public static final class CallFailed extends RuntimeException {
        final int status;
        final long retryAfterSeconds;
        final boolean transientFailure;

        CallFailed(int status, String message, long retryAfterSeconds, boolean transientFailure) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.transientFailure = transientFailure;
        }
    }

    private final PodHttp http;
    private final OidcClients oidcClients;
    private final RemotePods pods;
    private final SecretBox secrets;
    private final Pool pool;
    private final ImportJobs jobs;
    private final OidcProxy proxy;
    private final Map<Long, Uni<OidcClient>> clients = new ConcurrentHashMap<>();

    public OldPodApi(
            PodHttp http,
            OidcClients oidcClients,
            RemotePods pods,
            SecretBox secrets,
            Pool pool,
            ImportJobs jobs,
            OidcProxy proxy) {
        this.http = http;
        this.oidcClients = oidcClients;
        this.pods = pods;
        this.secrets = secrets;
        this.pool = pool;
        this.jobs = jobs;
        this.proxy = proxy;
    }

    public Uni<JsonObject> get(ImportJob job, RemotePod pod, String pathAndQuery) {
        return call(
                        job,
                        pod,
                        token -> http.request(HttpMethod.GET, pod.issuer() + pathAndQuery)
                                .bearerTokenAuthentication(token)
                                .putHeader("Accept", "application/json")
                                .send())
                .map(PodResponse::bodyAsJsonObject);
    }

    /**
     * Appends the bytes of {@code pathAndQuery} from offset {@code from} to {@code part} (HTTP Range), so a
     * transfer cut off mid-file goes on from where it stopped. Answers the status: 206 (the rest, appended), 200
     * (the whole; written only when nothing was asked for with Range, else the part is left as it was and the
     * caller starts it again from byte 0) or 416 (nothing left, or the old pod refuses the Range). Any other status
     * is a {@link CallFailed} that carries it. The part never grows beyond {@code maxBytes}, whatever size the old
     * pod announced: at the cap the connection is closed and the answer is an {@link OutboundRefused.TooLarge}
     * failure.
     */
    public Uni<Integer> appendBytes(
            ImportJob job, RemotePod pod, String pathAndQuery, String part, long from, long maxBytes) {
        var fs = http.vertx().fileSystem();
        return callRaw(
                        job,
                        pod,
                        token -> fs.open(part, new OpenOptions().setWrite(true).setCreate(true))
                                .call(() -> fs.truncate(part, from))
                                .chain(file -> {
                                    var request = http.request(HttpMethod.GET, pod.issuer() + pathAndQuery)
                                            .bearerTokenAuthentication(token);
                                    if (from > 0) {
                                        request.putHeader("Range", "bytes=" + from + "-");
                                    }
                                    // 206: the rest, after what the part holds. 200 to a Range request: an old pod
                                    // that ignores Range sends the whole, which must not land after (or over) the
                                    // part; it stays in memory (up to the cap) and is dropped. What the part holds
                                    // counts against the cap.
                                    return request.sendTo(
                                                    status -> {
                                                        if (status != 206 && (status != 200 || from > 0)) {
                                                            file.close()
                                                                    .subscribe()
                                                                    .with(ignored -> {}, ignored -> {});
                                                            return null;
                                                        }
                                                        file.setWritePos(from);
                                                        return file.getDelegate();
                                                    },
                                                    Math.max(0, maxBytes - from))
                                            // No answer at all: the file was never handed over, so it is closed
                                            // here (a second close of a file the request already ended changes
                                            // nothing).
                                            .onFailure()
                                            .call(() -> file.close().onFailure().recoverWithNull());
                                }))
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 206 || status == 200 || status == 416) {
                        return status;
                    }
                    throw new CallFailed(
                            status,
                            "The old pod answered " + status + " for " + pathAndQuery,
                            retryAfter(response),
                            status == 429 || status == 408 || status >= 500);
                });
    }

    public Uni<PodResponse> post(ImportJob job, RemotePod pod, String path, JsonObject body) {
        return callRaw(
                job,
                pod,
                token -> http.request(HttpMethod.POST, pod.issuer() + path)
                        .bearerTokenAuthentication(token)
                        .sendJsonObject(body));
    }

    /** Success (2xx) or a CallFailed. */
    private Uni<PodResponse> call(ImportJob job, RemotePod pod, Function<String, Uni<PodResponse>> send) {
        return callRaw(job, pod, send).map(response -> {
            if (response.statusCode() / 100 != 2) {
                throw failure(response);
            }
            return response;
        });
    }

    /** Any answer but 401 (refreshed once), or a CallFailed for a transport failure. */
    private <T> Uni<T> callRaw(ImportJob job, RemotePod pod, Function<String, Uni<T>> send) {
        String access = secrets.open(job.accessToken());
        return transport(send.apply(access)).chain(response -> {
            if (((PodResponse) response).statusCode() != 401) {
                return Uni.createFrom().item(response);
            }
            return refresh(job, pod)
                    .chain(fresh -> transport(send.apply(fresh)))
                    .map(again -> {
                        if (((PodResponse) again).statusCode() == 401) {
                            throw new CallFailed(401, "The old pod no longer accepts this pod's tokens", 0, false);
                        }
                        return again;
                    });
        });
    }

    private static <T> Uni<T> transport(Uni<T> sent) {
        // An answer over its cap goes through as it is: the caller leaves that item out rather than retrying.
        return sent.onFailure(e -> !(e instanceof CallFailed) && !(e instanceof OutboundRefused.TooLarge))
                .transform(e -> e instanceof OutboundRefused refused
                        ? new CallFailed(
                                0, "Stopped talking to the old pod: " + refused.getMessage(), 0, refused.passing())
                        : new CallFailed(0, "The old pod did not answer: " + TransportFailures.describe(e), 0, true));
    }

    /**
     * A fresh access token. The job's row is locked meanwhile: two calls of one job (a page and the page read
     * ahead) never both spend the refresh token, which the old pod rotates and would take for a replay.
     */
    private Uni<String> refresh(ImportJob job, RemotePod pod) {
        return pool.withTransaction(c -> jobs.lockTokens(c, job.id()).chain(row -> {
            String storedAccess = row.getString(0);
            String refreshToken = secrets.open(row.getString(1));
            if (storedAccess != null && !storedAccess.equals(job.accessToken())) {
                return Uni.createFrom().item(secrets.open(storedAccess));
            }
            return client(pod)
                    .chain(client -> client.refreshTokens(refreshToken))
                    // quarkus-oidc-client's message carries the token endpoint's body: not this pod's to
                    // repeat.
                    .onFailure()
                    .transform(
                            e -> new CallFailed(401, "The old pod refused to refresh this" + " pod's access", 0, false))
                    .call(tokens -> jobs.storeTokens(
                            c,
                            job.id(),
                            tokens.getAccessToken(),
                            tokens.getRefreshToken() == null ? refreshToken : tokens.getRefreshToken()))
                    .map(tokens -> tokens.getAccessToken());
        }));
    }

    private Uni<OidcClient> client(RemotePod pod) {
        return clients.computeIfAbsent(
                pod.id(),
                id -> oidcClients
                        .newClient(new OidcClientConfigBuilder()
                                .id("old-pod-" + id)
                                .authServerUrl(pod.issuer())
                                .clientId(pod.clientId())
                                .credentials(pod.clientSecret())
                                .proxy(proxy.host(), proxy.port())
                                .followRedirects(false)
                                .build())
                        .memoize()
                        .indefinitely());
    }

    private static long retryAfter(PodResponse response) {
        String header = response.getHeader("Retry-After");
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException ignored) {
            return 5;
        }
    }

    private static CallFailed failure(PodResponse response) {
        int status = response.statusCode();
        long retryAfter = retryAfter(response);
        boolean transientFailure = status == 429 || status == 408 || status >= 500;
        // The status only: the job's error is shown to people, and the old pod's body is not this pod's to repeat.
        return new CallFailed(status, "The old pod answered " + status, retryAfter, transientFailure);
    }
}
