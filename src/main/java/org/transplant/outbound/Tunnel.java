package org.transplant.outbound;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bytes of one CONNECT between a local client (quarkus-oidc) and the address the outbound policy checked. TLS
 * runs end to end inside it; the tunnel closes both sides when the far side has sent more than the cap, when the
 * deadline passes (an idle timeout never trips on a drip-fed answer), or when either side closes or fails.
 */
final class Tunnel {

    private final Vertx vertx;
    private final NetSocket near;
    private final NetSocket far;
    private final long maxBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long received;
    private long timer;

    private Tunnel(Vertx vertx, NetSocket near, NetSocket far, long maxBytes) {
        this.vertx = vertx;
        this.near = near;
        this.far = far;
        this.maxBytes = maxBytes;
    }

    /** Joins {@code near} and {@code far} until one of them ends, the cap or the deadline. */
    static void join(Vertx vertx, NetSocket near, NetSocket far, long maxBytes, Duration deadline) {
        Tunnel tunnel = new Tunnel(vertx, near, far, maxBytes);
        tunnel.timer = vertx.setTimer(deadline.toMillis(), id -> tunnel.close());
        tunnel.carry(near, far, false);
        tunnel.carry(far, near, true);
    }

    private void carry(NetSocket from, NetSocket to, boolean counted) {
        from.handler(chunk -> {
            if (counted) {
                received += chunk.length();
                if (received > maxBytes) {
                    close();
                    return;
                }
            }
            write(from, to, chunk);
        });
        from.exceptionHandler(e -> close());
        from.endHandler(v -> close());
        from.closeHandler(v -> close());
    }

    private void write(NetSocket from, NetSocket to, Buffer chunk) {
        if (closed.get()) {
            return;
        }
        to.write(chunk);
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    private void close() {
        if (closed.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            near.close();
            far.close();
        }
    }
}
