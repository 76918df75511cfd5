package org.transplant.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
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
    /** Reads a body of unannounced length, counting: past the limit it fails the request with 413. */
    private final BodyHandler counted;

    public ServerLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBodyBytes = maxBody.asLongValue();
        this.counted = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setPreallocateBodyBuffer(false);
    }

    void install(@Observes Router router) {
        // Before Quarkus's own Content-Length check (order -2) and before authentication.
        router.route().order(Integer.MIN_VALUE).handler(this::check).failureHandler(this::bodyTooLarge);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method().name().length() + request.uri().length() + " HTTP/1.1".length() + 1 > MAX_REQUEST_LINE) {
            refuse(context, Problem.of(414, "uri-too-long", "URI too long",
                    "The request's target is longer than this pod reads (" + MAX_REQUEST_LINE + " characters)"));
        } else if (headerBytes(request.headers()) > MAX_HEADER_BYTES) {
            refuse(context, Problem.of(431, "headers-too-large", "Request header fields too large",
                    "The request's headers are larger than this pod reads (" + MAX_HEADER_BYTES / 1024 + " KiB)"));
        } else if (announced(request) > maxBodyBytes) {
            refuse(context, tooLarge(maxBodyBytes));
        } else if (unannounced(request)) {
            // A chunked body: read here, counted as it arrives, so that one over the limit fails as 413 (answered
            // by bodyTooLarge) instead of Quarkus REST's bare 413. Quarkus REST takes the body read here.
            counted.handle(context);
        } else {
            context.next();
        }
    }

    /** The counting reader's 413 (a failure without an exception) as a problem; other failures go on. */
    private void bodyTooLarge(RoutingContext context) {
        if (context.statusCode() == 413 && context.failure() == null) {
            refuse(context, tooLarge(maxBodyBytes));
        } else {
            context.next();
        }
    }

    /**
     * A body whose length is not announced: chunked. Forms are left to Quarkus REST's form reader (bounded by
     * {@code max-form-attribute-size} and the body limit), which reads them itself.
     */
    private static boolean unannounced(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        return request.getHeader("Content-Length") == null && request.getHeader("Transfer-Encoding") != null
                && (type == null || !(type.startsWith("multipart/") || type.startsWith(
                        "application/x-www-form-urlencoded")));
    }

    /** The 413 problem of a body over the limit, here or wherever a body's bytes are counted as they arrive. */
    static Problem tooLarge(long maxBodyBytes) {
        return Problem.of(413, "too-large", "Payload too large",
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
    private static long announced(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null || !length.trim().matches("\\d{1,18}")) {
            return 0;
        }
        return Long.parseLong(length.trim());
    }

    /** Answers and closes: a body that was announced is never read. */
    static void refuse(RoutingContext context, Problem problem) {
        if (context.response().headWritten()) {
            return;
        }
        HttpServerRequest request = context.request();
        context.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(Json.encode(problem))
                .onComplete(ended -> request.connection().close());
    }
}
