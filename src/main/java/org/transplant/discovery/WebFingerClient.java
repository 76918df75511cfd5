package org.transplant.discovery;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.transplant.outbound.PodHttp;
import org.transplant.outbound.TransportFailures;
import org.transplant.pod.Handle;

/** Looks people of other pods up by WebFinger (RFC 7033): their links, aliases and properties. */
@ApplicationScoped
public class WebFingerClient {

    /** The pod of a handle did not answer, or answered something other than 200 or 404. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A person's JRD, as their pod serves it. */
    public record Person(Handle handle, JsonObject jrd) {

        /** The href of the first link with this rel, or null. */
        public String link(String rel) {
            // What another pod serves may have any shape: whatever is not as RFC 7033 says counts as absent.
            if (!(jrd.getValue("links") instanceof JsonArray links)) {
                return null;
            }
            for (Object item : links) {
                if (item instanceof JsonObject link
                        && rel.equals(link.getValue("rel"))
                        && link.getValue("href") instanceof String href) {
                    return href;
                }
            }
            return null;
        }

        public String property(String name) {
            return jrd.getValue("properties") instanceof JsonObject properties
                            && properties.getValue(name) instanceof String text
                    ? text
                    : null;
        }
    }

    /** The largest JRD read: a person's is a few KiB. */
    static final long MAX_JRD = 1 << 20;

    private final PodHttp http;

    public WebFingerClient(PodHttp http) {
        this.http = http;
    }

    /** The person, or null when their pod says there is no such person (404); fails with {@link Unreachable}. */
    public Uni<Person> lookup(Handle handle) {
        String url = PodHttp.baseUrlOf(handle.host()) + "/.well-known/webfinger?resource="
                + URLEncoder.encode("acct:" + handle, StandardCharsets.UTF_8);
        return http.request(HttpMethod.GET, url)
                .putHeader("Accept", WebFingerResource.JRD)
                .send(MAX_JRD)
                .onFailure()
                .transform(e -> new Unreachable(handle.host() + " did not answer: " + TransportFailures.describe(e), e))
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return null;
                    }
                    if (response.statusCode() != 200) {
                        throw new Unreachable("WebFinger on " + handle.host() + " answered " + response.statusCode());
                    }
                    // Whatever the pod answered stays out of messages: they reach people who did not choose it.
                    JsonObject jrd = PodHttp.jsonBody(response);
                    // RFC 7033 §4.4: a JRD about someone else is no answer about this person.
                    if (!(jrd.getValue("subject") instanceof String subject)
                            || !("acct:" + handle).equalsIgnoreCase(subject)) {
                        throw new Unreachable("WebFinger on " + handle.host() + " answered about someone else");
                    }
                    return new Person(handle, jrd);
                });
    }
}
