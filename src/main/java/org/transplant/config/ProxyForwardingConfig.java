package org.transplant.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One setting, {@code transplant.http.trusted-proxies}, also turns on Quarkus's own forwarding for exactly those
 * proxies, so that the scheme and host Quarkus and quarkus-oidc see (redirect URIs, cookies) are the public ones.
 * Quarkus alone cannot say "off unless a list is given": an empty trusted-proxies list there means everyone.
 * Only {@code X-Forwarded-*} is read, as by the web layer's {@code ClientAddress}. The client's address for
 * limits comes from ClientAddress, not from Quarkus (which believes the leftmost, forgeable, entry).
 * Explicit {@code quarkus.http.proxy.*} settings still win (this source's ordinal is below application.properties).
 */
public class ProxyForwardingConfig implements ConfigSourceFactory {

    static final String SETTING = "transplant.http.trusted-proxies";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue proxies = context.getValue(SETTING);
        if (proxies == null || proxies.getValue() == null || proxies.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(
                Map.of(
                        "quarkus.http.proxy.proxy-address-forwarding", "true",
                        "quarkus.http.proxy.allow-x-forwarded", "true",
                        "quarkus.http.proxy.allow-forwarded", "false",
                        "quarkus.http.proxy.trusted-proxies", proxies.getValue()),
                "transplant trusted proxies",
                200));
    }
}
