package org.transplant.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.transplant.config.TransplantConfig;

/**
 * What one client address may start per hour (per pod instance): client registrations, sign-ups and import starts.
 * Each writes rows or makes this pod call other pods, so a stranger gets a share, not the pod. Every attempt counts,
 * refused ones too: the refusal already cost a look-up or a call.
 */
@ApplicationScoped
public class ClientLimits {

    private final TokenBuckets registrations;
    private final TokenBuckets signUps;
    private final TokenBuckets importStarts;

    public ClientLimits(TransplantConfig config, MonotonicClock clock) {
        this.registrations = hourly(config.limits().registrationsPerHour(), clock);
        this.signUps = hourly(config.limits().signUpsPerHour(), clock);
        this.importStarts = hourly(config.limits().importStartsPerHour(), clock);
    }

    /** Takes one registration from the client's share, or throws a 429 with Retry-After. */
    public void registration(HttpServerRequest request) {
        take(registrations, request, "Too many client registrations from this address");
    }

    public void signUp(HttpServerRequest request) {
        take(signUps, request, "Too many sign-ups from this address");
    }

    public void importStart(HttpServerRequest request) {
        take(importStarts, request, "Too many import starts from this address");
    }

    private static void take(TokenBuckets buckets, HttpServerRequest request, String reason) {
        Duration wait = buckets.acquire(ClientAddress.of(request));
        if (wait != null) {
            throw new TooManyRequests(wait, reason);
        }
    }

    /** {@code perHour} at once, refilled evenly over the hour. */
    private static TokenBuckets hourly(int perHour, MonotonicClock clock) {
        return new TokenBuckets(perHour / 3600.0, perHour, clock::nanoTime);
    }
}
