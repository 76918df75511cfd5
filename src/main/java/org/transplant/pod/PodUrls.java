package org.transplant.pod;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.transplant.config.TransplantConfig;

/** The pod's public base URL and the host part of its handles ({@code user@host}). */
@ApplicationScoped
public class PodUrls {

    private final String baseUrl;
    private final String host;

    public PodUrls(
            TransplantConfig config, @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        String url = config.publicUrl().filter(u -> !u.isBlank()).orElse("http://localhost:" + port);
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri = URI.create(baseUrl);
        this.host = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    /** e.g. {@code https://pod.example}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** e.g. {@code pod.example} or {@code localhost:8080}: what follows the @ in a local handle. */
    public String host() {
        return host;
    }

    public String handleOf(String username) {
        return username + "@" + host;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    /** The username of a handle on this pod, or null when the handle belongs to another host. */
    public String localUsername(Handle handle) {
        return handle.host().equalsIgnoreCase(host) ? handle.user() : null;
    }
}
