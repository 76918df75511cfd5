package org.transplant.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A pod behind a TLS proxy at 127.0.0.2, public at https, with a small per-client log-in allowance. */
public class BehindProxyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "transplant.public-url", "https://pod.example",
                "transplant.http.trusted-proxies", "127.0.0.2, 10.0.0.0/8",
                "transplant.sessions.max-failed-logins-per-client", "3");
    }
}
