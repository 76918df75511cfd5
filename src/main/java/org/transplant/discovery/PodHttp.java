package org.transplant.discovery;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.config.TransplantConfig;

/**
 * The one HTTP client this pod talks to other pods with: discovery, registration and the Migration API when it is
 * the new pod of a move, move notices when it is the old one.
 */
@ApplicationScoped
public class PodHttp {

    private final Vertx vertx;
    private final WebClient client;
    private final io.vertx.mutiny.core.http.HttpClient streams;
    private final long timeoutMillis;

    public PodHttp(Vertx vertx, TransplantConfig config) {
        this.vertx = vertx;
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Transplant")
                .setFollowRedirects(false).setConnectTimeout(10_000).setMaxPoolSize(8));
        this.streams = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setConnectTimeout(10_000)
                .setMaxPoolSize(8));
        this.timeoutMillis = config.importer().requestTimeout().toMillis();
    }

    public Vertx vertx() {
        return vertx;
    }

    public HttpRequest<io.vertx.mutiny.core.buffer.Buffer> request(HttpMethod method, String url) {
        return client.requestAbs(method, url).timeout(timeoutMillis);
    }

    /**
     * A GET whose body the caller reads as a stream and may cut off ({@code response.request().connection()
     * .close()}): the web client would read a body it no longer wants to its very end. No redirects are followed.
     */
    public io.smallrye.mutiny.Uni<io.vertx.mutiny.core.http.HttpClientResponse> stream(String url,
            java.util.Map<String, String> headers) {
        io.vertx.core.http.RequestOptions options = new io.vertx.core.http.RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(url).setFollowRedirects(false).setIdleTimeout(timeoutMillis)
                .putHeader("User-Agent", "Transplant");
        headers.forEach(options::putHeader);
        return streams.request(options).chain(request -> request.send());
    }

    /** The answer's JSON object, or an empty one when it has none or is not JSON (other pods answer anything). */
    public static JsonObject jsonBody(HttpResponse<io.vertx.mutiny.core.buffer.Buffer> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            return body == null ? new JsonObject() : body;
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    /** https, except for a pod on this machine (tests, two pods side by side), which may speak plain http. */
    public static String baseUrlOf(String host) {
        String name = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        boolean loopback = name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        return (loopback ? "http://" : "https://") + host;
    }

    @PreDestroy
    void close() {
        client.close();
        streams.closeAndForget();
    }
}
