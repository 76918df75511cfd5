package org.transplant.outbound;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Another pod's answer, read whole (never more than the body cap) or streamed to a file (then the body is empty). */
public record PodResponse(int statusCode, MultiMap headers, Buffer body) {

    public String getHeader(String name) {
        return headers.get(name);
    }

    public String bodyAsString() {
        return body.toString();
    }

    /** The body as a JSON object, null when empty; fails with a DecodeException when it is not JSON. */
    public JsonObject bodyAsJsonObject() {
        return body.length() == 0 ? null : body.toJsonObject();
    }
}
