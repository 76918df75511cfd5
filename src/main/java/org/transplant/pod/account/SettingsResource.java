package org.transplant.pod.account;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.transplant.pod.session.SignedIn;

/** {@code /api/v1/settings}: the signed-in person's own account settings. */
@Path("/api/v1/settings")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final SettingsService settings;
    private final SecurityIdentity identity;

    public SettingsResource(SettingsService settings, SecurityIdentity identity) {
        this.settings = settings;
        this.identity = identity;
    }

    @GET
    public Uni<SettingsBody> get() {
        return settings.read(SignedIn.of(identity));
    }

    @PUT
    public Uni<SettingsBody> replace(SettingsBody body) {
        return settings.replace(SignedIn.of(identity), body);
    }
}
