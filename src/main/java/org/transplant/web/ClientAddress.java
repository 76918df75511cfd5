package org.transplant.web;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address of the client behind a request: the one key of every per-client limit (log-ins, sign-ups, import
 * starts, registrations, the inbox). Kept in one place so that what a proxy forwards is trusted, or not, the same
 * way everywhere.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
