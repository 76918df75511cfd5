package org.transplant.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An app's loopback listener, a real server as a native app runs one: the browser really goes there after the
 * consent (a Playwright route does not see the redirect in every network set-up; a loaded run waited ten minutes
 * for one that never came), and the URL the browser lands on is what the app reads.
 */
public record LoopbackApp(HttpServer server) implements AutoCloseable {

    public static LoopbackApp start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE html><title>Back in the app</title><h1>Back in the app</h1>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return new LoopbackApp(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The app's redirect URI. */
    public URI callback() {
        return URI.create("http://127.0.0.1:" + port() + "/callback");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
