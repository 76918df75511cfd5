package org.transplant.outbound;

import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

/** One request to another pod, built like Vert.x's WebClient requests and sent through {@link PodHttp}. */
public final class PodRequest {

    private final PodHttp http;
    final HttpMethod method;
    final String url;
    final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

    PodRequest(PodHttp http, HttpMethod method, String url) {
        this.http = http;
        this.method = method;
        this.url = url;
    }

    public PodRequest putHeader(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public PodRequest bearerTokenAuthentication(String token) {
        return putHeader("Authorization", "Bearer " + token);
    }

    public Uni<PodResponse> send() {
        return http.exchange(this, null, null, 0);
    }

    /**
     * Sends, and keeps an answer's body of at most {@code maxBytes} (beyond, the connection is closed and the answer
     * fails with {@link OutboundRefused.TooLarge}): for answers that are small when they are what they should be.
     */
    public Uni<PodResponse> send(long maxBytes) {
        return http.exchange(this, null, null, maxBytes);
    }

    public Uni<PodResponse> sendJsonObject(JsonObject body) {
        headers.set("Content-Type", "application/json");
        return http.exchange(this, body.toBuffer(), null, 0);
    }

    public Uni<PodResponse> sendBuffer(io.vertx.mutiny.core.buffer.Buffer body) {
        return http.exchange(this, body.getDelegate(), null, 0);
    }

    /**
     * Where an answer's body goes, chosen (at once, on the event loop) when its status is known; null keeps it in
     * memory. Chosen synchronously: a body cut off right after its first bytes must not lose them while a sink
     * opens.
     */
    @FunctionalInterface
    public interface BodySink {
        WriteStream<Buffer> sinkFor(int status);
    }

    /**
     * Streams the answer's body into the stream {@code sinkFor} opens for its status (ended when the body ends)
     * instead of memory, at most {@code maxBytes} of it; beyond, the connection is closed and the answer fails with
     * {@link OutboundRefused.TooLarge}. The response carries the status and headers.
     */
    public Uni<PodResponse> sendTo(BodySink sinkFor, long maxBytes) {
        return http.exchange(this, null, sinkFor, maxBytes);
    }
}
