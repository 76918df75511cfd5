package org.transplant.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP server's own limits, answered as problems. Quarkus refuses a body announced beyond
 * {@code quarkus.http.limits.max-body-size} with a bare 413, and Vert.x answers a request line or headers beyond
 * Netty's limits with a bare 414 or 431 before any route runs (it offers no hook Quarkus exposes). So this route,
 * first of all, refuses them itself as application/problem+json: a body by its Content-Length, before any of it is
 * read; a request line over {@value #MAX_REQUEST_LINE} characters; headers over {@value #MAX_HEADER_BYTES} bytes.
 * Netty's own limits are set well above these ({@code quarkus.http.limits.max-initial-line-length},
 * {@code max-header-size}), so only a request beyond those still gets Vert.x's bare answer.
 */
@ApplicationScoped
public class ServerLimits {

    /** The longest request line (method, target, version) the pod takes: Netty's former default. */
    static final int MAX_REQUEST_LINE = 4096;
    /** The most header bytes (names, values, separators) the pod takes: Netty's former default, 20 KiB. */
    static final int MAX_HEADER_BYTES = 20 * 1024;

    private final long maxBodyBytes;

    public ServerLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        // Before Quarkus's own Content-Length check (order -2) and before authentication. A chunked body is not read
        // here: reading it before authentication would let anyone hold max-body-size of memory per connection. Its
        // limit is Quarkus REST's, where an endpoint reads it.
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method().name().length() + request.uri().length() + " HTTP/1.1".length() + 1 > MAX_REQUEST_LINE) {
            refuse(
                    context,
                    Problem.of(
                            414,
                            "uri-too-long",
                            "URI too long",
                            "The request's target is longer than this pod reads (" + MAX_REQUEST_LINE
                                    + " characters)"));
        } else if (headerBytes(request.headers()) > MAX_HEADER_BYTES) {
            refuse(
                    context,
                    Problem.of(
                            431,
                            "headers-too-large",
                            "Request header fields too large",
                            "The request's headers are larger than this pod reads (" + MAX_HEADER_BYTES / 1024
                                    + " KiB)"));
        } else if (announced(request) > maxBodyBytes) {
            refuse(context, tooLarge(maxBodyBytes));
        } else {
            context.next();
        }
    }

    /** The 413 problem of a body over the limit, here or wherever a body's bytes are counted as they arrive. */
    public static Problem tooLarge(long maxBodyBytes) {
        return Problem.of(
                413,
                "too-large",
                "Payload too large",
                "The request body is larger than this pod takes (" + maxBodyBytes / (1024 * 1024) + " MiB)");
    }

    private static long headerBytes(MultiMap headers) {
        long bytes = 0;
        for (Map.Entry<String, String> header : headers) {
            bytes += header.getKey().length() + 2 + header.getValue().length();
        }
        return bytes;
    }

    /** The announced body length; an unreadable one is Netty's to refuse (it does, before this runs). */
    public static long announced(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null || !length.trim().matches("\\d{1,18}")) {
            return 0;
        }
        return Long.parseLong(length.trim());
    }

    /**
     * Answers and, over HTTP/1.x, closes: a body that was announced is never read. An HTTP/2 connection may carry
     * other people's requests (from a proxy), so only this stream ends.
     */
    public static void refuse(RoutingContext context, Problem problem) {
        if (context.response().headWritten()) {
            return;
        }
        HttpServerRequest request = context.request();
        context.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Json.encode(problem))
                .onComplete(ended -> {
                    if (request.version() != HttpVersion.HTTP_2) {
                        request.connection().close();
                    }
                });
    }
}
