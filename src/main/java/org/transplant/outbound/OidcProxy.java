package org.transplant.outbound;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;

/**
 * The road quarkus-oidc's own calls to old pods take (discovery, token, JWKS, refresh): their clients are given this
 * proxy on loopback, which lets a call through only to the origin of an old pod this pod registered with, and only
 * under {@link OutboundPolicy}: to the address the policy checked (never a second look-up of the name), with the
 * body cap and the total deadline. https passes as a CONNECT {@link Tunnel}, so TLS and its host check stay end to
 * end; plain http (pods on one machine) is forwarded through {@link PodHttp}. quarkus-oidc itself only reads
 * bodies whole and knows no total deadline, which is why its calls are not left to it.
 */
@Startup
@ApplicationScoped
public class OidcProxy {

    private static final Logger LOG = Logger.getLogger(OidcProxy.class);
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length");

    /** The largest request body passed on: quarkus-oidc's token requests are forms of a few hundred bytes. */
    private static final long MAX_REQUEST_BYTES = 64 * 1024;

    private final io.vertx.core.Vertx vertx;
    private final OutboundPolicy policy;
    private final PodHttp http;
    private final RegisteredOrigins origins;
    private final NetClient net;
    private final HttpServer server;
    private final long maxBodyBytes;
    private final Duration deadline;

    public OidcProxy(
            Vertx vertx, OutboundPolicy policy, PodHttp http, RegisteredOrigins origins, TransplantConfig config) {
        this.vertx = vertx.getDelegate();
        this.policy = policy;
        this.http = http;
        this.origins = origins;
        this.maxBodyBytes = config.outbound().maxBodyBytes();
        this.deadline = config.outbound().deadline();
        this.net = this.vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
        this.server = listen();
    }

    /**
     * Loopback only, on a port of its own: nothing off this machine can use it. The port is chosen here rather than
     * left to the system (port 0) because the server metrics tag every HTTP server with its port, and a server
     * without that tag next to the pod's own would be refused by the registry.
     */
    private HttpServer listen() {
        for (int attempt = 1; ; attempt++) {
            HttpServer candidate = vertx.createHttpServer(new HttpServerOptions()
                            .setHost("127.0.0.1")
                            .setPort(freePort())
                            .setIdleTimeout((int) deadline.toSeconds()))
                    .requestHandler(this::handle);
            try {
                return Uni.createFrom()
                        .completionStage(candidate.listen().toCompletionStage())
                        .await()
                        .atMost(Duration.ofSeconds(30));
            } catch (RuntimeException taken) {
                // Another process took the port between the look and the listen.
                if (attempt == 5) {
                    throw taken;
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (request.method() == HttpMethod.CONNECT) {
            tunnel(request);
        } else {
            forward(request);
        }
    }

    /** https: the client asks for host:port and then speaks TLS to the old pod through the tunnel. */
    private void tunnel(HttpServerRequest request) {
        request.pause();
        String url = "https://" + request.uri() + "/";
        allowed(url)
                .subscribe()
                .with(
                        target -> net.connect(SocketAddress.inetSocketAddress(
                                        target.port(), target.address().getHostAddress()))
                                .onComplete(connected -> {
                                    if (connected.failed()) {
                                        refuse(request, 502, "could not connect to " + target.host());
                                        return;
                                    }
                                    request.toNetSocket().onComplete(near -> {
                                        if (near.failed()) {
                                            connected.result().close();
                                        } else {
                                            Tunnel.join(
                                                    vertx, near.result(), connected.result(), maxBodyBytes, deadline);
                                        }
                                    });
                                }),
                        failure -> refuse(request, failure));
    }

    /**
     * Plain http: the request names the absolute URL, and PodHttp makes it under the same policy. The target is
     * checked before the body is read, and a body is small (quarkus-oidc sends forms of a few hundred bytes).
     */
    private void forward(HttpServerRequest request) {
        String url = request.uri();
        request.pause();
        registered(url)
                .subscribe()
                .with(
                        ok -> {
                            String length = request.getHeader("Content-Length");
                            if (request.getHeader("Transfer-Encoding") != null
                                    || length != null
                                            && !(length.matches("\\d{1,9}")
                                                    && Long.parseLong(length) <= MAX_REQUEST_BYTES)) {
                                refuse(
                                        request,
                                        413,
                                        "a request body to an old pod is at most " + MAX_REQUEST_BYTES + " bytes");
                                return;
                            }
                            request.body().onComplete(read -> {
                                if (read.failed()) {
                                    refuse(request, 400, "unreadable request");
                                } else {
                                    send(request, url, read.result());
                                }
                            });
                            request.resume();
                        },
                        failure -> refuse(request, failure));
    }

    private void send(HttpServerRequest request, String url, Buffer body) {
        PodRequest outgoing = http.request(request.method(), url);
        request.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                outgoing.putHeader(name, value);
            }
        });
        Uni<PodResponse> sent = body.length() == 0
                ? outgoing.send()
                : outgoing.sendBuffer(io.vertx.mutiny.core.buffer.Buffer.newInstance(body));
        sent.subscribe()
                .with(
                        answer -> {
                            var response = request.response().setStatusCode(answer.statusCode());
                            answer.headers().forEach((name, value) -> {
                                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                                    response.headers().add(name, value);
                                }
                            });
                            response.end(answer.body());
                        },
                        failure -> refuse(request, failure));
    }

    /** The checked target of {@code url}, if it is a registered old pod's origin and passes the policy. */
    private Uni<OutboundPolicy.Target> allowed(String url) {
        return registered(url).chain(() -> policy.check(url));
    }

    /** Nothing, if {@code url} is on a registered old pod's origin; else a refusal (PodHttp applies the policy). */
    private Uni<Void> registered(String url) {
        String host;
        try {
            host = OutboundPolicy.hostOf(OutboundPolicy.parse(url));
        } catch (OutboundRefused e) {
            return Uni.createFrom().failure(e);
        }
        return origins.isRegistered(url)
                .chain(registered -> registered
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom()
                                .failure(new OutboundRefused(
                                        host + " is not the host of an old pod this pod registered with")));
    }

    private void refuse(HttpServerRequest request, Throwable failure) {
        if (failure instanceof OutboundRefused refused) {
            refuse(request, refused.passing() ? 504 : 403, refused.getMessage());
        } else {
            refuse(request, 502, "the old pod could not be reached");
        }
    }

    private void refuse(HttpServerRequest request, int status, String why) {
        LOG.infof("OIDC call to %s not made: %s", request.uri(), why);
        if (!request.response().ended() && !request.response().headWritten()) {
            request.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "text/plain")
                    .end(why);
        }
    }

    @PreDestroy
    void close() {
        server.close();
        net.close();
    }
}
