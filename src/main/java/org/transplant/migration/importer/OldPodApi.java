package org.transplant.migration.importer;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClientResponse;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.transplant.discovery.PodHttp;
import org.transplant.migration.importer.RemotePods.RemotePod;
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
    private final Map<Long, Uni<OidcClient>> clients = new ConcurrentHashMap<>();

    public OldPodApi(PodHttp http, OidcClients oidcClients, RemotePods pods, SecretBox secrets, Pool pool) {
        this.http = http;
        this.oidcClients = oidcClients;
        this.pods = pods;
        this.secrets = secrets;
        this.pool = pool;
    }

    public Uni<JsonObject> get(ImportJob job, RemotePod pod, String pathAndQuery) {
        return call(job, pod, token -> http.request(HttpMethod.GET, pod.issuer() + pathAndQuery)
                .bearerTokenAuthentication(token).putHeader("Accept", "application/json").send())
                .map(HttpResponse::bodyAsJsonObject);
    }

    /**
     * Appends the bytes of {@code pathAndQuery} from offset {@code from} to {@code part} (HTTP Range), so a
     * transfer cut off mid-file goes on from where it stopped. Answers the status: 206 (the rest), 200 (the whole:
     * the part starts again) or 416 (nothing left). The part never grows beyond {@code maxBytes}, whatever size
     * the old pod announced: at the cap the connection is closed and the answer is a
     * {@link CappedWriteStream.TooLarge} failure.
     */
    public Uni<Integer> appendBytes(ImportJob job, RemotePod pod, String pathAndQuery, String part, long from,
            long maxBytes) {
        var fs = http.vertx().fileSystem();
        return callRaw(job, pod, token -> http.stream(pod.issuer() + pathAndQuery, from > 0
                ? Map.of("Authorization", "Bearer " + token, "Range", "bytes=" + from + "-")
                : Map.of("Authorization", "Bearer " + token)), HttpClientResponse::statusCode, OldPodApi::cutOff)
                .chain(response -> {
                    // Held until the part file is open: what arrives meanwhile waits instead of getting lost.
                    response.pause();
                    int status = response.statusCode();
                    if (status != 200 && status != 206) {
                        cutOff(response);
                        if (status == 416) {
                            return Uni.createFrom().item(status);
                        }
                        throw new CallFailed(status, "The old pod answered " + status + " for " + pathAndQuery,
                                retryAfter(response.getHeader("Retry-After")),
                                status == 429 || status == 408 || status >= 500);
                    }
                    long start = status == 206 ? from : 0;
                    return fs.open(part, new io.vertx.core.file.OpenOptions().setWrite(true).setCreate(true))
                            .call(() -> fs.truncate(part, start))
                            .chain(file -> {
                                file.setWritePos(start);
                                var capped = new CappedWriteStream(file.getDelegate(), start, maxBytes);
                                return Uni.createFrom().completionStage(() -> response.getDelegate().pipeTo(capped)
                                        .toCompletionStage());
                            })
                            .onFailure(CappedWriteStream.TooLarge.class).invoke(() -> cutOff(response))
                            .onFailure(e -> !(e instanceof CappedWriteStream.TooLarge))
                            .transform(e -> new CallFailed(0, "The transfer of " + pathAndQuery + " broke off", 0,
                                    true))
                            .replaceWith(status);
                });
    }

    /** Stops reading an answer: its connection is closed, so the other side stops sending. */
    private static void cutOff(HttpClientResponse response) {
        response.request().connection().close().subscribe().with(ignored -> {
        }, ignored -> {
        });
    }

    public Uni<HttpResponse<Buffer>> post(ImportJob job, RemotePod pod, String path, JsonObject body) {
        return callRaw(job, pod, token -> http.request(HttpMethod.POST, pod.issuer() + path)
                .bearerTokenAuthentication(token).sendJsonObject(body));
    }

    /** Success (2xx) or a CallFailed. */
    private Uni<HttpResponse<Buffer>> call(ImportJob job, RemotePod pod,
            Function<String, Uni<HttpResponse<Buffer>>> send) {
        return callRaw(job, pod, send).map(response -> {
            if (response.statusCode() / 100 != 2) {
                throw failure(response);
            }
            return response;
        });
    }

    /** Any answer but 401 (refreshed once), or a CallFailed for a transport failure. */
    private <T> Uni<T> callRaw(ImportJob job, RemotePod pod, Function<String, Uni<T>> send) {
        return callRaw(job, pod, send, response -> ((HttpResponse<?>) response).statusCode(), response -> {
        });
    }

    /** The same for any kind of answer: {@code status} reads its status, {@code discard} drops a 401 one. */
    private <T> Uni<T> callRaw(ImportJob job, RemotePod pod, Function<String, Uni<T>> send,
            java.util.function.ToIntFunction<T> status, java.util.function.Consumer<T> discard) {
        String access = secrets.open(job.accessToken());
        return transport(send.apply(access)).chain(response -> {
            if (status.applyAsInt(response) != 401) {
                return Uni.createFrom().item(response);
            }
            discard.accept(response);
            return refresh(job, pod).chain(fresh -> transport(send.apply(fresh))).map(again -> {
                if (status.applyAsInt(again) == 401) {
                    discard.accept(again);
                    throw new CallFailed(401, "The old pod no longer accepts this pod's tokens", 0, false);
                }
                return again;
            });
        });
    }

    private static <T> Uni<T> transport(Uni<T> sent) {
        return sent.onFailure(e -> !(e instanceof CallFailed))
                .transform(e -> new CallFailed(0, "The old pod did not answer: " + e, 0, true));
    }

    /**
     * A fresh access token. The job's row is locked meanwhile: two calls of one job (a page and the page read
     * ahead) never both spend the refresh token, which the old pod rotates and would take for a replay.
     */
    private Uni<String> refresh(ImportJob job, RemotePod pod) {
        return pool.withTransaction(c -> c.preparedQuery("SELECT access_token, refresh_token FROM import_jobs"
                + " WHERE id = $1 FOR UPDATE").execute(Tuple.of(job.id())).chain(rows -> {
                    String storedAccess = rows.iterator().next().getString(0);
                    String refreshToken = secrets.open(rows.iterator().next().getString(1));
                    if (storedAccess != null && !storedAccess.equals(job.accessToken())) {
                        return Uni.createFrom().item(secrets.open(storedAccess));
                    }
                    return client(pod).chain(client -> client.refreshTokens(refreshToken))
                            .onFailure().transform(e -> new CallFailed(401, "Refreshing the old pod's token failed: "
                                    + e.getMessage(), 0, false))
                            .call(tokens -> c.preparedQuery("UPDATE import_jobs SET access_token = $2,"
                                    + " refresh_token = $3, updated_at = now() WHERE id = $1")
                                    .execute(Tuple.of(job.id(), secrets.seal(tokens.getAccessToken()),
                                            secrets.seal(tokens.getRefreshToken() == null ? refreshToken
                                                    : tokens.getRefreshToken()))))
                            .map(tokens -> tokens.getAccessToken());
                }));
    }

    private Uni<OidcClient> client(RemotePod pod) {
        return clients.computeIfAbsent(pod.id(), id -> oidcClients.newClient(new OidcClientConfigBuilder()
                .id("old-pod-" + id).authServerUrl(pod.issuer()).clientId(pod.clientId())
                .credentials(pod.clientSecret()).build()).memoize().indefinitely());
    }

    private static long retryAfter(HttpResponse<?> response) {
        return retryAfter(response.getHeader("Retry-After"));
    }

    private static long retryAfter(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException ignored) {
            return 5;
        }
    }

    private static CallFailed failure(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String body = response.bodyAsString();
        String detail = body == null ? "" : body.length() > 300 ? body.substring(0, 300) : body;
        long retryAfter = retryAfter(response);
        boolean transientFailure = status == 429 || status == 408 || status >= 500;
        return new CallFailed(status, "The old pod answered " + status + ": " + detail, retryAfter, transientFailure);
    }
}
