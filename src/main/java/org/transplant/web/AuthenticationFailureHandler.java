package org.transplant.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Credentials refused before any resource runs (a bad, expired or revoked bearer token) answer like every other
 * error: 401 application/problem+json, with RFC 6750's challenge naming the reason.
 */
@ApplicationScoped
public class AuthenticationFailureHandler {

    private final ObjectMapper json;

    public AuthenticationFailureHandler(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(-1).failureHandler(event -> {
            if (!(event.failure() instanceof AuthenticationFailedException)
                    || event.response().ended()) {
                event.next();
                return;
            }
            Problem problem =
                    Problem.of(401, "invalid-token", "Unauthorized", "The access token is invalid, expired or revoked");
            try {
                event.response()
                        .setStatusCode(401)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .end(json.writeValueAsString(problem));
            } catch (JsonProcessingException e) {
                event.next();
            }
        });
    }
}
