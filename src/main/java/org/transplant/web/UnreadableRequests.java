package org.transplant.web;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import java.util.Set;

/**
 * Requests refused while their body is still being read, before any resource or exception mapper runs (a form
 * field over {@code quarkus.http.limits.max-form-attribute-size}): without this the HTTP layer's last resort
 * answers them as a 500. Here they get the 4xx they carry, as a problem.
 */
@ApplicationScoped
public class UnreadableRequests {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refuse);
    }

    private void refuse(RoutingContext context) {
        int status = context.failure() instanceof WebApplicationException e
                ? e.getResponse().getStatus()
                : 0;
        if (status < 400 || status > 499) {
            context.next();
            return;
        }
        if (context.response().headWritten()) {
            return; // the form parser fails again for every further chunk; answered once is enough
        }
        Problem problem = status == 413
                ? Problem.of(413, "too-large", "Payload too large", "A field of this form is too large")
                : Problem.of(status, "bad-request", "Bad request", "The request could not be read");
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Json.encode(problem));
    }

    /** Whether RESTEasy Reactive's percent-decoding of a form or query value failed. */
    static boolean isUndecodable(IllegalArgumentException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (DECODERS.contains(frame.getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> DECODERS = Set.of(
            "org.jboss.resteasy.reactive.common.util.URLUtils", "org.jboss.resteasy.reactive.common.util.Encode");
}
