package org.transplant.outbound;

import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A failed request to another pod in this pod's own words. The transport's exception messages can quote what the
 * other side sent (an HTTP decoder quotes a malformed status line, a TLS alert carries text), and these words reach
 * people on pages, in problems and in mail, so none of the exception's text is used: only what kind of failure it
 * was. An {@link OutboundRefused} is already this pod's own sentence.
 */
public final class TransportFailures {

    private TransportFailures() {}

    public static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OutboundRefused refused) {
                return refused.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "the connection was refused or failed";
            }
            if (cause instanceof UnknownHostException) {
                return "the host name does not resolve";
            }
            if (cause instanceof TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return "no answer in time";
            }
            if (cause instanceof SSLException) {
                return "the TLS handshake failed";
            }
            if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
                return "the connection closed before the answer was complete";
            }
        }
        return "its answer could not be read as HTTP";
    }
}
