package org.transplant.outbound;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.transplant.config.TransplantConfig;
import org.transplant.outbound.OutboundPolicy.Target;

/**
 * The one HTTP client this pod talks to other pods with: discovery, registration and the Migration API when it is
 * the new pod of a move, move notices when it is the old one. Every request passes {@link OutboundPolicy} and goes
 * to the address it checked; no redirect is followed; an answer is read up to a cap while it arrives, never
 * buffered first; and each request has a total deadline, since an idle timeout never trips on a body that drips a
 * byte at a time.
 */
@ApplicationScoped
public class PodHttp {

    private final Vertx vertx;
    private final OutboundPolicy policy;
    private final HttpClient client;
    private final long idleMillis;
    private final Duration deadline;
    private final long maxBodyBytes;

    public PodHttp(Vertx vertx, OutboundPolicy policy, TransplantConfig config) {
        this.vertx = vertx;
        this.policy = policy;
        // No decompression: a small gzip body must not unpack past the cap.
        this.client = vertx.getDelegate()
                .createHttpClient(new HttpClientOptions()
                        .setConnectTimeout(10_000)
                        // Per host: a job's photo transfers (8 at once, read ahead or not) leave room for its
                        // pages and calls (calling an import off) beside them.
                        .setMaxPoolSize(16)
                        .setTryUseCompression(false)
                        .setVerifyHost(true));
        this.idleMillis = config.importer().requestTimeout().toMillis();
        this.deadline = config.outbound().deadline();
        this.maxBodyBytes = config.outbound().maxBodyBytes();
    }

    public Vertx vertx() {
        return vertx;
    }

    public PodRequest request(HttpMethod method, String url) {
        return new PodRequest(this, method, url);
    }

    /** The answer's JSON object, or an empty one when it has none or is not JSON (other pods answer anything). */
    public static JsonObject jsonBody(PodResponse response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            return body == null ? new JsonObject() : body;
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    /** https, except for a pod on this machine (tests, two pods side by side), which may speak plain http. */
    public static String baseUrlOf(String host) {
        String name = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        boolean loopback = name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        return (loopback ? "http://" : "https://") + host;
    }

    Uni<PodResponse> exchange(PodRequest request, Buffer body, PodRequest.BodySink sinkFor, long sinkMaxBytes) {
        return policy.check(request.url)
                .chain(target -> Uni.createFrom()
                        .<PodResponse>emitter(emitter -> new Exchange(
                                        request,
                                        target,
                                        body,
                                        sinkFor,
                                        sinkFor == null
                                                ? (sinkMaxBytes > 0
                                                        ? Math.min(maxBodyBytes, sinkMaxBytes)
                                                        : maxBodyBytes)
                                                : sinkMaxBytes,
                                        emitter)
                                .start()));
    }

    /** One request on its way: ends once, by its answer, a failure, the cap or the deadline. */
    private final class Exchange {
        private final PodRequest request;
        private final Target target;
        private final Buffer body;
        private final PodRequest.BodySink sinkFor;
        /** Where the body goes once the status is known; null: into memory (up to the cap). */
        private volatile WriteStream<Buffer> sink;

        private final long maxBytes;
        private final UniEmitter<? super PodResponse> emitter;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final AtomicBoolean sinkEnded = new AtomicBoolean();
        private final Buffer received = Buffer.buffer();
        private volatile HttpClientRequest sent;
        private long count;
        private long timer;

        Exchange(
                PodRequest request,
                Target target,
                Buffer body,
                PodRequest.BodySink sinkFor,
                long maxBytes,
                UniEmitter<? super PodResponse> emitter) {
            this.request = request;
            this.target = target;
            this.body = body;
            this.sinkFor = sinkFor;
            this.maxBytes = maxBytes;
            this.emitter = emitter;
        }

        void start() {
            // Called off (e.g. a sibling photo transfer failed): stop reading and close the sink, and never throw
            // into the canceller.
            emitter.onTermination(
                    () -> fail(new OutboundRefused("the request to " + target.host() + " was called off", true)));
            timer = vertx.getDelegate()
                    .setTimer(
                            deadline.toMillis(),
                            id -> fail(new OutboundRefused(
                                    target.host() + " did not answer in full within " + deadline.toSeconds() + " s",
                                    true)));
            RequestOptions options = new RequestOptions()
                    .setMethod(request.method)
                    .setAbsoluteURI(target.uri().toString())
                    // The address the policy checked, not a second look-up of the name.
                    .setServer(SocketAddress.inetSocketAddress(
                            target.port(), target.address().getHostAddress()))
                    .setFollowRedirects(false)
                    .setIdleTimeout(idleMillis)
                    .setHeaders(request.headers)
                    .putHeader("User-Agent", "Transplant");
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    fail(created.cause());
                    return;
                }
                sent = created.result();
                if (ended.get()) {
                    sent.reset();
                    return;
                }
                (body == null ? sent.send() : sent.send(body)).onComplete(answered -> {
                    if (answered.failed()) {
                        fail(answered.cause());
                    } else {
                        receive(answered.result());
                    }
                });
            });
        }

        private void receive(HttpClientResponse response) {
            String length = response.getHeader("Content-Length");
            if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
                fail(tooLarge());
                return;
            }
            response.exceptionHandler(this::fail);
            if (sinkFor == null) {
                read(response);
                return;
            }
            sink = sinkFor.sinkFor(response.statusCode());
            read(response);
        }

        private void read(HttpClientResponse response) {
            response.handler(chunk -> {
                count += chunk.length();
                if (count > maxBytes) {
                    fail(tooLarge());
                } else if (sink == null) {
                    received.appendBuffer(chunk);
                } else if (!ended.get()) {
                    sink.write(chunk);
                    if (sink.writeQueueFull()) {
                        response.pause();
                        sink.drainHandler(v -> response.resume());
                    }
                }
            });
            response.endHandler(v -> {
                PodResponse answer = new PodResponse(response.statusCode(), response.headers(), received);
                if (sink == null) {
                    succeed(answer);
                } else if (sinkEnded.compareAndSet(false, true)) {
                    sink.end().onComplete(closed -> {
                        if (closed.succeeded()) {
                            succeed(answer);
                        } else {
                            fail(closed.cause());
                        }
                    });
                }
            });
        }

        /** Ends (closes) the sink once, whoever gets there first: the body's end, a failure or a cancellation. */
        private void endSink() {
            if (sink != null && sinkEnded.compareAndSet(false, true)) {
                sink.end().onFailure(ignored -> {
                    // Closing after a failure: the failure is what the caller hears about.
                });
            }
        }

        private OutboundRefused tooLarge() {
            return new OutboundRefused.TooLarge(target.host() + " answered more than " + maxBytes + " bytes");
        }

        private void succeed(PodResponse answer) {
            if (ended.compareAndSet(false, true)) {
                vertx.getDelegate().cancelTimer(timer);
                emitter.complete(answer);
            }
        }

        private void fail(Throwable cause) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            vertx.getDelegate().cancelTimer(timer);
            HttpClientRequest inFlight = sent;
            if (inFlight != null) {
                // Closes the stream (HTTP/2) or the connection (HTTP/1.1): nothing more is read.
                try {
                    inFlight.reset(0, cause);
                } catch (RuntimeException ignored) {
                    // Already over: nothing left to stop.
                }
            }
            endSink();
            emitter.fail(cause);
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
