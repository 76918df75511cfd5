package org.transplant.testing;

import com.sun.net.httpserver.HttpExchange;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one way the in-test pods (JDK HTTP servers) answer with a JSON body. */
public final class JsonAnswers {

    private JsonAnswers() {}

    public static void send(HttpExchange exchange, int status, String type, JsonObject body) throws IOException {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
